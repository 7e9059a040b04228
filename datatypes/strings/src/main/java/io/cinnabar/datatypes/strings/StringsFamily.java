package io.cinnabar.datatypes.strings;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import java.util.List;
import org.pf4j.Extension;

/** Placeholder replaced by the string commands. */
@Extension
public final class StringsFamily implements CommandFamily {
    @Override
    public List<CommandSpec> commands() {
        return List.of();
    }
}
