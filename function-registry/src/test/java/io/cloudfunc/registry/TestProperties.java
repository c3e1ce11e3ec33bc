package io.cloudfunc.registry;

import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@link RegistryProperties} bound the way Spring binds them, for unit tests. */
public final class TestProperties {

    private TestProperties() {
    }

    /** The defaults, overridden by {@code settings} (keys without the {@code registry.} prefix). */
    public static RegistryProperties registry(Map<String, String> settings) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        settings.forEach((key, value) -> source.put("registry." + key, value));
        return new Binder(source).bindOrCreate("registry", RegistryProperties.class);
    }

    public static RegistryProperties registry() {
        return registry(Map.of());
    }
}
