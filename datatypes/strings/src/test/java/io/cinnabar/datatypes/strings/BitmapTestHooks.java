package io.cinnabar.datatypes.strings;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.Values;
import io.cinnabar.kernel.net.ExecutionContext;
import java.util.List;

/**
 * Test-only commands standing in for commands other families own (HELLO, SET, LPUSH, FLUSHALL, OBJECT
 * ENCODING) so the bitmap tests can prepare state on the execution thread without those families.
 * Each is named {@code test.*} so it can never shadow a real command.
 */
final class BitmapTestHooks implements CommandFamily {
    @Override
    public List<CommandSpec> commands() {
        return List.of(
                CommandSpec.command("test.protocol").arity(2).handler((ctx, args, reply) -> {
                    ((ExecutionContext) ctx).connection().setProtocol((int) args.longAt(1));
                    reply.ok();
                }).build(),
                CommandSpec.command("test.string").arity(3).handler((ctx, args, reply) -> {
                    ctx.db().set(args.get(1), args.get(2));
                    reply.ok();
                }).build(),
                CommandSpec.command("test.list").arity(2).handler((ctx, args, reply) -> {
                    ctx.db().set(args.get(1), new FakeList());
                    reply.integer(1);
                }).build(),
                CommandSpec.command("test.flush").arity(1).handler((ctx, args, reply) -> {
                    ctx.db().clear();
                    reply.ok();
                }).build(),
                CommandSpec.command("test.encoding").arity(2).handler((ctx, args, reply) -> {
                    Object v = ctx.db().get(args.get(1));
                    if (v == null) {
                        reply.nullBulk();
                    } else {
                        reply.bulk(Values.encoding(v));
                    }
                }).build(),
                CommandSpec.command("test.dirty").arity(1).handler((ctx, args, reply) ->
                        reply.integer(((ExecutionContext) ctx).connection().server().stats().dirty)).build());
    }

    /** A value of another type, for WRONGTYPE checks. */
    private static final class FakeList implements RedisValue {
        @Override
        public String typeName() {
            return "list";
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public long memoryUsage() {
            return 16;
        }

        @Override
        public RedisValue copy() {
            return new FakeList();
        }
    }
}
