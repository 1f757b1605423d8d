package org.convoca.db;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Many rows handed to PostgreSQL as one array per column, read back as a table with
 * {@code (SELECT unnest(?) AS col, unnest(?) AS col, …) AS alias}: set-returning functions in one
 * select list run in lockstep (PostgreSQL 10 and later), so arrays of equal length give one row per
 * index, in order. (jOOQ 3.19 renders {@code ROWS FROM (unnest(…))} with an alias per function,
 * which PostgreSQL rejects; this form is plain jOOQ.) The statement's text is the same
 * for one row or a thousand, so it is rendered once and parsed once per connection (pgjdbc prepares
 * it on the server), and no value is escaped into SQL text (a multi-row VALUES list of a few hundred emails is hundreds of
 * kilobytes of SQL to render, send and parse).
 *
 * <pre>
 *   ArrayRows v = new ArrayRows("v");
 *   Field&lt;String&gt; email = v.column(PEOPLE.EMAIL, emails);
 *   tx.insertInto(PEOPLE, PEOPLE.EMAIL).select(DSL.select(email).from(v.table()))
 * </pre>
 */
public final class ArrayRows {
    /** By identity: the types are the generated tables' and SQLDataType's constants. */
    private static final Map<DataType<?>, DataType<?>> ARRAY_TYPES = Collections.synchronizedMap(new IdentityHashMap<>());

    private final String alias;
    private final List<Field<?>> arrays = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();
    private int size = -1;

    public ArrayRows(String alias) {
        this.alias = alias;
    }

    /** A column with {@code like}'s name and type; every column must have the same number of values. */
    public <T> Field<T> column(Field<T> like, List<? extends T> values) {
        return column(like.getName(), like.getDataType(), values);
    }

    /** A column named {@code name} of {@code type}. */
    @SuppressWarnings("unchecked")
    public <T> Field<T> column(String name, DataType<T> type, List<? extends T> values) {
        if (size >= 0 && values.size() != size) {
            throw new IllegalArgumentException("column " + name + " has " + values.size() + " values, not " + size);
        }
        size = values.size();
        T[] array = values.toArray((T[]) Array.newInstance(type.getType(), values.size()));
        this.values.add(array);
        arrays.add(DSL.function("unnest", type, DSL.val(array, arrayOf(type))).as(name));
        return DSL.field(DSL.name(alias, name), type);
    }

    /**
     * The arrays bound so far, one per column, in the order the columns were made: the values a
     * statement built on these rows binds besides its constants (see petition.RoundTrip).
     */
    public List<Object> arrays() {
        return List.copyOf(values);
    }

    /**
     * {@code type}'s array type, made once: jOOQ makes a new one on every call, and each runs
     * regular expressions over its type name (12% of the signature writer's CPU, perf).
     */
    @SuppressWarnings("unchecked")
    public static <T> DataType<T[]> arrayOf(DataType<T> type) {
        return (DataType<T[]>) ARRAY_TYPES.computeIfAbsent(type, DataType::getArrayDataType);
    }

    /** The rows, one per array index, in the order given. */
    public Table<?> table() {
        return DSL.select(arrays).asTable(alias);
    }
}
