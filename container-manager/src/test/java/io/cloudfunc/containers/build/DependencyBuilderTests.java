package io.cloudfunc.containers.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyBuilderTests {

    @Test
    void quotesTheToolsErrorLinesElseItsLastLines() {
        List<String> pip = List.of("$ pip install -r requirements.txt", "Looking in indexes: http://wheels/simple/",
                "ERROR: Could not find a version that satisfies the requirement nosuch==1.0 (from versions: none)",
                "ERROR: No matching distribution found for nosuch==1.0", "Build failed: pip exited with code 1");
        assertThat(DependencyBuilder.errorLines(pip)).containsExactly(pip.get(2), pip.get(3));

        List<String> npm = List.of("$ npm install --omit=dev", "npm error code E404",
                "npm error 404 Not Found - GET https://registry.npmjs.org/nosuch - Not found");
        assertThat(DependencyBuilder.errorLines(npm)).containsExactly(npm.get(1), npm.get(2));

        List<String> quiet = List.of("one", "two");
        assertThat(DependencyBuilder.errorLines(quiet)).containsExactly("one", "two");
    }

    @Test
    void trustsPlainHttpIndexesByHostAndQuotesForTheShell() {
        assertThat(DependencyBuilder.plainHttpHost("http://wheels:8080/simple/")).isEqualTo("wheels:8080");
        assertThat(DependencyBuilder.plainHttpHost("http://mirror/simple/")).isEqualTo("mirror");
        assertThat(DependencyBuilder.plainHttpHost("https://pypi.org/simple/")).isNull();
        assertThat(DependencyBuilder.quote("it's")).isEqualTo("'it'\\''s'");
    }
}
