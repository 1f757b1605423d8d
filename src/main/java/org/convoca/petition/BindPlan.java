package org.convoca.petition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the bind values of a shaped statement ({@link RoundTrip.Shaped}) come from, learnt from
 * its first uses: each position is one of the arrays the caller built (by identity) or a constant
 * of the shape. With a plan the values are taken from the caller's arrays instead of walking the
 * jOOQ query for them. The first {@link #LEARN_USES} uses, and one in {@link #CHECK_EVERY} after
 * them, are still read in full and compared, so a value that changes from use to use outside the
 * arrays (a timestamp bound as a scalar, say) is found and the plan dropped before it is trusted.
 */
final class BindPlan {
    static final int LEARN_USES = 3;
    static final int CHECK_EVERY = 64;

    private final AtomicInteger uses = new AtomicInteger();
    private volatile int[] source;
    private volatile Object[] constants;

    static BindPlan learning() {
        return new BindPlan();
    }

    /** This use's values from the caller's arrays; null when this use must be read in full. */
    List<Object> values(List<?> arrays) {
        int n = uses.incrementAndGet();
        int[] src = source;
        Object[] consts = constants;
        if (src == null || n <= LEARN_USES || n % CHECK_EVERY == 0) return null;
        List<Object> out = new ArrayList<>(src.length);
        for (int i = 0; i < src.length; i++) {
            if (src[i] >= arrays.size()) return null;
            out.add(src[i] >= 0 ? arrays.get(src[i]) : consts[i]);
        }
        return out;
    }

    /**
     * A use's values read in full, against the plan (the first one teaches it): false when they do
     * not follow it, or bind an array the caller did not give.
     */
    synchronized boolean check(List<Object> values, List<?> arrays) {
        int[] src = new int[values.size()];
        Object[] consts = new Object[values.size()];
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            src[i] = indexOf(arrays, v);
            if (src[i] < 0) {
                if (v != null && v.getClass().isArray()) return false;
                consts[i] = v;
            }
        }
        if (source == null) {
            constants = consts;
            source = src;
            return true;
        }
        if (!Arrays.equals(source, src)) return false;
        for (int i = 0; i < src.length; i++) {
            if (src[i] < 0 && !Objects.deepEquals(constants[i], consts[i])) return false;
        }
        return true;
    }

    private static int indexOf(List<?> arrays, Object v) {
        for (int j = 0; j < arrays.size(); j++) {
            if (arrays.get(j) == v) return j;
        }
        return -1;
    }
}
