package io.cloudfunc.gateway.dashboard;

import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The web dashboard's page: {@code /dashboard} and {@code /dashboard/} answer its {@code index.html}; its scripts
 * and style sheet are static resources under {@code /dashboard/}. The page itself needs no key (it asks for one and
 * sends it with every API call); see {@link DashboardHeaders} for what browsers are told about it.
 */
@Hidden // a page, not part of the API
@RestController
class DashboardController {

    private final byte[] page;

    DashboardController() throws IOException {
        try (var in = new ClassPathResource("static/dashboard/index.html").getInputStream()) {
            page = in.readAllBytes();
        }
    }

    @GetMapping({"/dashboard", "/dashboard/"})
    ResponseEntity<String> page() {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache())
                .body(new String(page, StandardCharsets.UTF_8));
    }
}
