package io.cloudfunc.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.InlineDeployRequest;
import io.cloudfunc.gateway.support.Zips;
import io.cloudfunc.support.problem.ProblemException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class InlineArchiveTests {

    @Test
    void aJsonDeployOrUpdateCarriesItsDeployDigestWithOrWithoutAConfigBlock() {
        var json = JsonMapper.builder().build();
        InlineDeployRequest plain = json.readValue("{\"name\":\"a\",\"deployDigest\":\"cf1:x:y\"}",
                InlineDeployRequest.class);
        InlineDeployRequest seed = json.readValue("{\"name\":\"a\",\"deployDigest\":\"cf1:x:y\","
                + "\"config\":{\"memory\":\"256Mi\"}}", InlineDeployRequest.class);

        assertThat(InlineArchive.withDefaults(ConfigBlock.merge(plain), null).deployDigest()).isEqualTo("cf1:x:y");
        assertThat(ConfigBlock.merge(seed).deployDigest()).isEqualTo("cf1:x:y");
        assertThat(ConfigBlock.merge(seed).memoryMb()).isEqualTo(256);
    }

    @Test
    void namesThePythonModuleAfterTheHandler() {
        assertThat(InlineArchive.moduleFile("python", "function.handler")).isEqualTo("function.py");
        assertThat(InlineArchive.moduleFile("python", "pkg.mod.handler")).isEqualTo("pkg/mod.py");
        assertThat(InlineArchive.moduleFile("python3.13", null)).isEqualTo("function.py");
    }

    @Test
    void callsHandleWhenPythonCodeDefinesOnlyThatAndNoHandlerIsGiven() {
        FunctionSpec seed = new FunctionSpec("seed", null, null, null, null, null, null);

        assertThat(InlineArchive.withDefaults(seed, "def handle(request):\n    return 1\n").handler())
                .isEqualTo("function.handle");
        assertThat(InlineArchive.withDefaults(seed, "import x\nasync def handle(request):\n    return 1\n")
                .handler()).isEqualTo("function.handle");
        assertThat(InlineArchive.withDefaults(seed, "def handle(r):\n    pass\ndef handler(event):\n    pass\n")
                .handler()).isNull();
        assertThat(InlineArchive.withDefaults(seed, "def handler(event):\n    pass\n").handler()).isNull();
        assertThat(InlineArchive.withDefaults(seed, "class A:\n    def handle(self):\n        pass\n").handler())
                .isNull();
        assertThat(InlineArchive.withDefaults(seed, "x = 1").runtime()).isEqualTo("python");
        FunctionSpec given = new FunctionSpec("given", "python", "app.main", null, null, null, null);
        assertThat(InlineArchive.withDefaults(given, "def handle(r):\n    pass\n").handler()).isEqualTo("app.main");
        FunctionSpec node = new FunctionSpec("node", "node", null, null, null, null, null);
        assertThat(InlineArchive.withDefaults(node, "def handle(r):\n    pass\n").handler()).isNull();
    }

    @Test
    void namesTheNodeModuleWithJs() {
        assertThat(InlineArchive.moduleFile("node", "index.handler")).isEqualTo("index.js");
        assertThat(InlineArchive.moduleFile("node", null)).isEqualTo("index.js");
        assertThat(InlineArchive.moduleFile("node", "src/app.v2.main")).isEqualTo("src/app.v2.js");
    }

    @Test
    void rejectsHandlersWithoutAModule() {
        for (String handler : new String[] {"handler", ".handler", "mod.", "a..b", "../x.handler", "a/b.handler"}) {
            ProblemException problem = catchThrowableOfType(ProblemException.class,
                    () -> InlineArchive.moduleFile("python", handler));
            assertThat(problem).as(handler).isNotNull();
            assertThat(problem.problem().getStatus()).isEqualTo(400);
        }
    }

    @Test
    void rejectsRuntimesWithoutOneFileModules() {
        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> InlineArchive.moduleFile("java", "function.handler"));

        assertThat(problem.problem().getDetail()).contains("zip");
    }

    @Test
    void zipsTheCodeAsTheOnlyEntry() {
        String code = "def handler(event, context):\n    return 'héllo'\n";

        byte[] archive = InlineArchive.zip("function.py", code);

        assertThat(Zips.entries(archive)).containsExactly(Map.entry("function.py", code));
    }

    @Test
    void sameCodeGivesTheSameArchiveBytes() {
        byte[] first = InlineArchive.zip("function.py", "x = 1\n");
        byte[] second = InlineArchive.zip("function.py", "x = 1\n");

        assertThat(first).isEqualTo(second);
    }
}
