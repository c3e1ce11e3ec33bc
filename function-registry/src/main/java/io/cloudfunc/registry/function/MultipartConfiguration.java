package io.cloudfunc.registry.function;

import io.cloudfunc.registry.RegistryProperties;
import jakarta.servlet.MultipartConfigElement;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Upload limits follow {@code registry.max-archive-size}, so one setting governs both the servlet container's limit
 * (an oversized upload is cut off early and answered 413) and the registry's own check.
 */
@Configuration(proxyBeanMethods = false)
class MultipartConfiguration {

    /** Room for the metadata part and the multipart framing next to a maximal archive. */
    private static final DataSize FRAMING_ALLOWANCE = DataSize.ofMegabytes(1);

    @Bean
    MultipartConfigElement multipartConfigElement(RegistryProperties properties) {
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setMaxFileSize(properties.maxArchiveSize());
        factory.setMaxRequestSize(DataSize.ofBytes(properties.maxArchiveSize().toBytes()
                + FRAMING_ALLOWANCE.toBytes()));
        factory.setFileSizeThreshold(DataSize.ofMegabytes(1));
        return factory.createMultipartConfig();
    }
}
