package org.convoca.letter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who receives a writer's letter. Only active targets of the directory ever do: there is no
 * address a writer could type in, so the form can never be used as an open relay.
 */
public final class Recipients {
    private Recipients() {
    }

    /** The targets the action draws from: its listed ones, or (matching with no list) the whole directory. */
    public static List<Target> pool(LetterAction action, Collection<Target> active) {
        if (action.targetIds().isEmpty() && action.targeting() == Targeting.BY_SCHOOL_OR_POSTAL_CODE) {
            return List.copyOf(active);
        }
        return active.stream().filter(t -> action.targetIds().contains(t.id())).toList();
    }

    public static List<Target> resolve(LetterAction action, Collection<Target> active, String school, String postalCode) {
        List<Target> pool = pool(action, active);
        if (action.targeting() == Targeting.ALL) return pool;
        List<Target> matched = pool.stream().filter(t -> t.represents(school, postalCode)).toList();
        if (!matched.isEmpty()) return matched;
        return active.stream().filter(t -> action.fallbackTargetIds().contains(t.id())).toList();
    }

    /** The schools a writer may pick: those the action's targets represent, once each, sorted. */
    public static List<String> schools(LetterAction action, Collection<Target> active) {
        Map<String, String> byKey = new TreeMap<>();
        for (Target t : pool(action, active)) {
            for (String s : t.schools()) byKey.putIfAbsent(Texts.key(s), s);
        }
        return new ArrayList<>(byKey.values());
    }

    /** The school as the directory spells it, when the writer's choice is one of the list. */
    public static String canonicalSchool(List<String> schools, String choice) {
        String k = Texts.key(choice);
        return schools.stream().filter(s -> Texts.key(s).equals(k)).findFirst().orElse(null);
    }
}
