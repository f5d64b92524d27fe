package dev.strand.bench.netty;

import dev.strand.bench.common.Args;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.Version;
import io.netty.util.internal.PlatformDependent;

/**
 * The Netty peer: native epoll, one event loop per core, {@link HttpServerCodec} and a handler
 * that writes per request and flushes when a read burst ends.
 *
 * <p>{@code java -jar netty-bench.jar [--port N] [--host H]}
 */
public final class NettyBench {

    private NettyBench() {
    }

    public static void main(String[] args) throws InterruptedException {
        Args a = Args.parse("netty-bench", args);
        Epoll.ensureAvailability();
        int loops = Runtime.getRuntime().availableProcessors();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 8192)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("codec", new HttpServerCodec());
                            ch.pipeline().addLast("handler", new BenchHandler());
                        }
                    })
                    .bind(a.host(), a.port()).sync().channel();
            System.out.println("Netty " + version() + " bench listening on port " + a.port() + " (epoll, "
                    + loops + " event loops, sun.misc.Unsafe " + (PlatformDependent.hasUnsafe() ? "used" : "not used")
                    + ")");
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static String version() {
        Version v = Version.identify().get("netty-common");
        return v == null ? "(unknown version)" : v.artifactVersion();
    }
}
