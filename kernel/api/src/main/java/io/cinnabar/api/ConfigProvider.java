package io.cinnabar.api;

import java.util.List;
import org.pf4j.ExtensionPoint;

/** Adds configuration parameters (settable in cinnabar.conf, CONFIG GET/SET). */
public interface ConfigProvider extends ExtensionPoint {
    List<ConfigParameter> configs();
}
