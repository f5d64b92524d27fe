/**
 * The {@code strand} command: runs an application — one that declares routes
 * ({@link dev.strand.launcher.Application}) or starts its own servers
 * ({@link dev.strand.launcher.Service}) — with the server's settings
 * ({@link dev.strand.launcher.ServerSettings}) and the application's own, read by
 * {@code strand-config} from a file, the environment and flags.
 */
module dev.strand.launcher {
    requires transitive dev.strand.http;
    requires transitive dev.strand.config;
    requires info.picocli;
    // log.level sets the JDK's default System.Logger backend.
    requires java.logging;

    exports dev.strand.launcher;
    // picocli reads the command's annotated fields reflectively.
    opens dev.strand.launcher to info.picocli;
}
