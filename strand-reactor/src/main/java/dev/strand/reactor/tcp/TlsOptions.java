package dev.strand.reactor.tcp;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How a connection speaks TLS, with the JDK's {@link SSLEngine}: the keys and trust (an
 * {@link SSLContext}), the protocol versions, ALPN, client authentication and the handshake's time
 * limit. Given to {@link Tcp#startServer(String, int, TlsOptions, java.util.function.Supplier)},
 * {@link Tcp#connect(String, int, TlsOptions, ConnectionHandler)} or {@link Connection#startTls}.
 * One value serves one role: a server's (its certificate, whom it asks for one) and a client's (whom
 * it trusts) usually differ, so each call takes its own.
 *
 * <pre>{@code
 * TlsOptions server = TlsOptions.builder().keyStore(keyStore, password).build();
 * TlsOptions client = TlsOptions.builder().trustStore(trusted).build(); // verifies the host name
 * }</pre>
 *
 * <p><b>Safe by default.</b> TLS 1.3 and 1.2 only; a client verifies the peer's certificate
 * against its trust (the JDK's default trust store unless told otherwise) and the peer's host name
 * against the certificate (endpoint identification "HTTPS", on the host given to {@code connect} or
 * {@link Builder#peerHost}). Turning verification off takes {@link Builder#insecureTrustAll()},
 * named for what it is.
 *
 * <p><b>Threading.</b> Immutable once built; any thread. The builder is not thread-safe.
 */
public final class TlsOptions {

    /** Whether a server asks its clients for a certificate. */
    public enum ClientAuth {
        /** It does not ask. */
        NONE,
        /** It asks; a client without one is still served (check {@link Connection#tlsSession()}). */
        OPTIONAL,
        /** It asks; a client without an acceptable one fails the handshake. */
        REQUIRED
    }

    private final SSLContext context;
    private final List<String> protocols;
    private final List<String> applicationProtocols;
    private final ClientAuth clientAuth;
    private final boolean verifyPeer;
    private final Optional<String> peerHost;
    private final Duration handshakeTimeout;
    private final Optional<Executor> taskExecutor;

    private TlsOptions(Builder builder, SSLContext context) {
        this.context = context;
        this.protocols = builder.protocols;
        this.applicationProtocols = builder.applicationProtocols;
        this.clientAuth = builder.clientAuth;
        this.verifyPeer = !builder.insecureTrustAll;
        this.peerHost = builder.peerHost;
        this.handshakeTimeout = builder.handshakeTimeout;
        this.taskExecutor = builder.taskExecutor;
    }

    /** A builder with the safe defaults. Any thread. */
    public static Builder builder() {
        return new Builder();
    }

    /** The context engines are made from. Any thread. */
    public SSLContext context() {
        return context;
    }

    /** The protocol versions allowed, such as {@code TLSv1.3}. Any thread. */
    public List<String> protocols() {
        return protocols;
    }

    /** The ALPN protocols offered (client) or accepted, in preference order (server); empty: no ALPN. Any thread. */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** Whether a server asks for client certificates. Any thread. */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** Whether a client verifies the peer's certificate and host name ({@code false} only after {@link Builder#insecureTrustAll()}). Any thread. */
    public boolean verifiesPeer() {
        return verifyPeer;
    }

    /** The host name a client sends (SNI) and verifies, when not the one given to connect. Any thread. */
    public Optional<String> peerHost() {
        return peerHost;
    }

    /** How long a handshake may take before the connection fails with {@link CloseReason.Kind#TLS_FAILED}. Any thread. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Makes a configured engine. {@code host} is the peer's name for a client, empty for a server. */
    SSLEngine newEngine(boolean client, Optional<String> host, int port) {
        Optional<String> name = peerHost.or(() -> host);
        SSLEngine engine = client && name.isPresent() ? context.createSSLEngine(name.get(), port) : context.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols.toArray(String[]::new));
        if (!applicationProtocols.isEmpty()) {
            parameters.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
        }
        if (client) {
            if (verifyPeer) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            name.filter(n -> Tcp.literal(n).isEmpty())
                    .ifPresent(n -> parameters.setServerNames(List.of(new SNIHostName(n))));
        } else {
            switch (clientAuth) {
                case REQUIRED -> parameters.setNeedClientAuth(true);
                case OPTIONAL -> parameters.setWantClientAuth(true);
                case NONE -> parameters.setWantClientAuth(false);
            }
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Where delegated tasks run when not on the reactor's offload pool; a seam for tests. */
    Optional<Executor> taskExecutor() {
        return taskExecutor;
    }

    /** Options for TLS. Not thread-safe. */
    public static final class Builder {
        private Optional<SSLContext> context = Optional.empty();
        private Optional<KeyStore> keyStore = Optional.empty();
        private char[] keyPassword = new char[0];
        private Optional<KeyStore> trustStore = Optional.empty();
        private boolean insecureTrustAll;
        private List<String> protocols = List.of("TLSv1.3", "TLSv1.2");
        private List<String> applicationProtocols = List.of();
        private ClientAuth clientAuth = ClientAuth.NONE;
        private Optional<String> peerHost = Optional.empty();
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Optional<Executor> taskExecutor = Optional.empty();

        private Builder() {
        }

        /**
         * Uses this context (its keys and trust) as it is; excludes {@link #keyStore},
         * {@link #trustStore} and {@link #insecureTrustAll}. Default: one made from those, or the
         * JDK's default context when none is given.
         */
        public Builder context(SSLContext context) {
            this.context = Optional.of(Objects.requireNonNull(context, "context"));
            return this;
        }

        /** This side's certificate and private key (a server needs one; a client for client auth). */
        public Builder keyStore(KeyStore store, char[] password) {
            this.keyStore = Optional.of(Objects.requireNonNull(store, "store"));
            this.keyPassword = Objects.requireNonNull(password, "password").clone();
            return this;
        }

        /** The certificates trusted to sign the peer's; default: the JDK's default trust store. */
        public Builder trustStore(KeyStore store) {
            this.trustStore = Optional.of(Objects.requireNonNull(store, "store"));
            return this;
        }

        /**
         * <b>INSECURE: for tests only.</b> Trusts any certificate and skips the host name check: a
         * client so configured talks to anyone who intercepts the connection, and the encryption
         * protects nothing. Never use it in production; give the peer's certificate (or its issuer)
         * to {@link #trustStore} instead.
         */
        public Builder insecureTrustAll() {
            this.insecureTrustAll = true;
            return this;
        }

        /**
         * The protocol versions allowed, such as {@code "TLSv1.2"} alone to force 1.2; default
         * TLS 1.3 and 1.2.
         *
         * @throws IllegalArgumentException when empty
         */
        public Builder protocols(String... protocols) {
            if (protocols.length == 0) {
                throw new IllegalArgumentException("at least one protocol is needed");
            }
            this.protocols = List.of(protocols);
            return this;
        }

        /** ALPN: the application protocols offered or accepted, in preference order, such as {@code "h2", "http/1.1"}. */
        public Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = List.of(protocols);
            return this;
        }

        /** For servers: whether to ask clients for a certificate; default {@link ClientAuth#NONE}. */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /**
         * For clients: the host name to send (SNI) and to verify the certificate against, when the
         * host given to connect is not it (an IP address, say); and the name a client upgraded by
         * {@link Connection#startTls} verifies.
         */
        public Builder peerHost(String host) {
            this.peerHost = Optional.of(Objects.requireNonNull(host, "host"));
            return this;
        }

        /**
         * How long a handshake may take, from its start; default 10 s. A peer that connects and
         * stays silent is cut off then ({@link CloseReason.Kind#TLS_FAILED}).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /** Runs the engine's delegated tasks here instead of on the reactor's offload pool; for tests. */
        Builder taskExecutor(Executor executor) {
            this.taskExecutor = Optional.of(Objects.requireNonNull(executor, "executor"));
            return this;
        }

        /**
         * Builds the options, making the context from the key and trust material when none was given.
         *
         * @throws IllegalStateException when {@link #context} is combined with key or trust material
         *                               or {@link #insecureTrustAll}
         * @throws IllegalArgumentException when the material cannot make a context (a wrong
         *                                  password, a broken store)
         */
        public TlsOptions build() {
            if (context.isPresent()) {
                if (keyStore.isPresent() || trustStore.isPresent() || insecureTrustAll) {
                    throw new IllegalStateException("strand-tls: context() excludes keyStore(), trustStore() and insecureTrustAll()");
                }
                return new TlsOptions(this, context.get());
            }
            try {
                if (keyStore.isEmpty() && trustStore.isEmpty() && !insecureTrustAll) {
                    return new TlsOptions(this, SSLContext.getDefault());
                }
                KeyManager[] keys = null;
                if (keyStore.isPresent()) {
                    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    factory.init(keyStore.get(), keyPassword);
                    keys = factory.getKeyManagers();
                }
                TrustManager[] trust = null;
                if (insecureTrustAll) {
                    trust = new TrustManager[] {new TrustAll()};
                } else if (trustStore.isPresent()) {
                    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    factory.init(trustStore.get());
                    trust = factory.getTrustManagers();
                }
                SSLContext made = SSLContext.getInstance("TLS");
                made.init(keys, trust, null);
                return new TlsOptions(this, made);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("strand-tls: cannot make an SSLContext from the key and trust material: " + e, e);
            }
        }
    }

    /** Accepts every certificate, checking nothing: what {@link Builder#insecureTrustAll()} installs. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
