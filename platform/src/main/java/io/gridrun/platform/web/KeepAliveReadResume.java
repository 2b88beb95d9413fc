package io.gridrun.platform.web;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Keeps a keep-alive HTTP/1.1 connection reading after each answer.
 *
 * <p>Reactor Netty up to 1.3.8 (reactor/reactor-netty#4361, fixed after the releases served here)
 * stops reading a connection when a request that arrived while the previous one was still being
 * answered is itself answered at once: the client's next request on that connection then waits for
 * ever. gridrun's quick 400s hit it (a test waited 30 s for a {@code ?page=-1} answer), and so
 * would the gateway's pooled calls to the services. After each answer this asks for one more read
 * once the event loop is done with its queued work; a read asked for while a request is in flight
 * only lets the server buffer the next pipelined request, as it does anyway.
 */
public final class KeepAliveReadResume implements NettyServerCustomizer {

  static final String HANDLER = "gridrun.keepAliveReadResume";

  @Override
  public HttpServer apply(HttpServer server) {
    return server.doOnChannelInit(
        (observer, channel, remote) -> {
          // right after the handler that fires the event: the reactive bridge does not pass it on
          if (channel.pipeline().get(HANDLER) == null
              && channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
            channel
                .pipeline()
                .addAfter(NettyPipeline.HttpTrafficHandler, HANDLER, ResumeAfterAnswer.INSTANCE);
          }
        });
  }

  @ChannelHandler.Sharable
  static final class ResumeAfterAnswer extends ChannelInboundHandlerAdapter {

    static final ResumeAfterAnswer INSTANCE = new ResumeAfterAnswer();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      // the event's class is package-private in Reactor Netty, hence the name
      if (event.getClass().getSimpleName().equals("HttpServerOperationsTerminatedEvent")) {
        ctx.executor()
            .execute(
                () -> {
                  if (ctx.channel().isActive()) {
                    ctx.read();
                  }
                });
      }
      super.userEventTriggered(ctx, event);
    }
  }
}
