package io.cinnabar.api;

import java.util.List;
import org.pf4j.ExtensionPoint;

/** A family of commands contributed by a plugin (or by the kernel itself). */
public interface CommandFamily extends ExtensionPoint {
    List<CommandSpec> commands();
}
