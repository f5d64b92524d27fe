package dev.strand.reactor.simulation;

/** Prints the trace hash and order of {@link SimulatedWorkload} for the seed given, in a JVM of its own. */
public final class SimulationTraceMain {

    private SimulationTraceMain() {
    }

    public static void main(String[] args) {
        SimulatedWorkload.Result result = SimulatedWorkload.run(Long.parseLong(args[0]));
        System.out.println("hash=" + Long.toHexString(result.trace().hash()) + " events=" + result.trace().size()
                + " order=" + result.order());
    }
}
