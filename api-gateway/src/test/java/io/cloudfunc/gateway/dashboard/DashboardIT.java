package io.cloudfunc.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The dashboard's page and files are served without a key, with headers that keep foreign scripts out. */
class DashboardIT extends GatewayIntegrationTest {

    @Test
    void pageAndItsFilesAreServedWithoutAKeyUnderAStrictContentSecurityPolicy() throws Exception {
        for (String path : new String[] {"/dashboard", "/dashboard/"}) {
            HttpResponse<byte[]> page = send(request(path, null).GET());

            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(page.headers().firstValue("Content-Security-Policy")).contains(DashboardHeaders.POLICY);
            assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
            String html = new String(page.body(), StandardCharsets.UTF_8);
            assertThat(html).contains("<title>CloudFunc dashboard</title>")
                    .contains("src=\"model.js\"").contains("src=\"app.js\"").contains("src=\"charts.js\"")
                    .contains("src=\"vendor/uPlot.iife.min.js\"").doesNotContain("<script>").doesNotContain("style=");
        }
        for (String file : new String[] {"app.js", "model.js", "charts.js", "style.css", "vendor/uPlot.iife.min.js",
                "vendor/uPlot.min.css", "vendor/uPlot.LICENSE"}) {
            HttpResponse<byte[]> served = send(request("/dashboard/" + file, null).GET());

            assertThat(served.statusCode()).as(file).isEqualTo(200);
            assertThat(served.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(served.body().length).isGreaterThan(500);
        }
        assertThat(send(request("/dashboard/app.js", null).GET()).headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("javascript"));
    }

    @Test
    void aFileThatIsNotThereIsA404ProblemAndTheApiStillNeedsAKey() throws Exception {
        HttpResponse<byte[]> missing = send(request("/dashboard/nothing.js", null).GET());
        HttpResponse<byte[]> api = send(request("/functions", null).GET());

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(api.statusCode()).isEqualTo(401);
    }
}
