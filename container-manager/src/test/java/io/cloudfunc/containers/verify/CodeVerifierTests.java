package io.cloudfunc.containers.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.FunctionError;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeVerifierTests {

    @Test
    void aRejectionShowsNoPathOfTheContainer() {
        FunctionError node = new FunctionError("Error", "Cannot find module 'is-number'\nRequire stack:\n"
                + "- /cloudfunc/code/index.js\n- /opt/cloudfunc/runtime.js",
                List.of("  at Object.<anonymous> (/cloudfunc/code/index.js:2:18)", "/opt/cloudfunc/runtime.js:10"));

        FunctionError shown = CodeVerifier.withoutContainerPaths(node);

        assertThat(shown.type()).isEqualTo("Error");
        assertThat(shown.message()).isEqualTo("Cannot find module 'is-number'\nRequire stack:\n- index.js");
        assertThat(shown.trace()).containsExactly("  at Object.<anonymous> (index.js:2:18)");
    }

    @Test
    void aPythonErrorIsLeftAsItIs() {
        FunctionError python = new FunctionError("HandlerNotFound", "module 'function' has no function 'handler'",
                List.of("  File \"function.py\", line 1"));

        assertThat(CodeVerifier.withoutContainerPaths(python)).isEqualTo(python);
    }
}
