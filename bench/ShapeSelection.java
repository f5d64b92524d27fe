import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which of the sweep's shapes run: {@code --shapes all} (the default), {@code http} (every shape but
 * the database ones), {@code database} (the four database shapes), or a comma-separated list of shape
 * ids, groups included. Immutable.
 */
record ShapeSelection(Set<String> ids) {

    static final ShapeSelection ALL = new ShapeSelection(all());

    static Set<String> all() {
        Set<String> ids = new LinkedHashSet<>(Sweep.HTTP_SHAPES);
        ids.addAll(DatabaseShapes.IDS);
        return Set.copyOf(ids);
    }

    /** The accepted values, for the usage text. */
    static String help() {
        return "all, http, database, or ids from " + String.join(",", Sweep.HTTP_SHAPES) + ","
                + String.join(",", DatabaseShapes.IDS);
    }

    /**
     * Parses {@code spec}.
     *
     * @throws IllegalArgumentException naming an unknown shape, or when nothing is selected
     */
    static ShapeSelection parse(String spec) {
        Set<String> ids = new LinkedHashSet<>();
        for (String name : spec.split(",")) {
            name = name.trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "" -> {
                }
                case "all" -> ids.addAll(all());
                case "http" -> ids.addAll(Sweep.HTTP_SHAPES);
                case "database" -> ids.addAll(DatabaseShapes.IDS);
                default -> {
                    if (!all().contains(name)) {
                        throw new IllegalArgumentException("unknown shape: " + name + " (" + help() + ")");
                    }
                    ids.add(name);
                }
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("--shapes selects nothing");
        }
        return new ShapeSelection(Set.copyOf(ids));
    }

    boolean has(String id) {
        return ids.contains(id);
    }

    boolean anyHttp() {
        return Sweep.HTTP_SHAPES.stream().anyMatch(ids::contains);
    }

    boolean anyDatabase() {
        return DatabaseShapes.IDS.stream().anyMatch(ids::contains);
    }

    /** The selected ids among {@code ordered}, in that order. */
    List<String> among(List<String> ordered) {
        List<String> chosen = new ArrayList<>();
        for (String id : ordered) {
            if (ids.contains(id)) {
                chosen.add(id);
            }
        }
        return chosen;
    }

    /** For the report: "all", or the ids in report order. */
    String describe() {
        if (ids.equals(all())) {
            return "all";
        }
        List<String> ordered = new ArrayList<>(Sweep.HTTP_SHAPES);
        ordered.addAll(DatabaseShapes.IDS);
        return String.join(", ", among(ordered));
    }
}
