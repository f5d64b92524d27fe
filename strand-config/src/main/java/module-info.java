/**
 * Strand's configuration: typed {@link dev.strand.config.Setting}s read from a file (properties or
 * YAML), environment variables and command-line flags, in that order of precedence, into an
 * immutable {@link dev.strand.config.Config}. An unknown key or a bad value stops the load with a
 * {@link dev.strand.config.ConfigException} naming the key, the value and where it came from; the
 * effective configuration can be printed with secrets masked.
 */
module dev.strand.config {
    requires org.snakeyaml.engine;

    exports dev.strand.config;
}
