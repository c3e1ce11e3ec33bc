package io.cloudfunc.containers.verify;

import io.cloudfunc.containers.code.CodeCache;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.NoContainerException;
import io.cloudfunc.contracts.function.CodeCheck;
import io.cloudfunc.contracts.function.CodeCheckResult;
import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.support.problem.Problems;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /internal/code-checks?function=NAME}: the gateway's deploy-time check (multipart: a {@code metadata}
 * {@link CodeCheck} and the {@code code} zip). 200 with {@code ready} true, or false and the runtime's error; 503 when
 * no container could be had (the gateway then deploys unchecked).
 */
@RestController
class CodeCheckController {

    private final CodeVerifier verifier;
    private final CodeCache codeCache;

    CodeCheckController(CodeVerifier verifier, CodeCache codeCache) {
        this.verifier = verifier;
        this.codeCache = codeCache;
    }

    @PostMapping(value = "/internal/code-checks", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    CodeCheckResult check(@RequestParam("function") String function, @RequestPart("metadata") CodeCheck check,
                          @RequestPart("code") MultipartFile code) throws IOException {
        if (!FunctionNames.isValid(function)) {
            throw Problems.invalidName(function);
        }
        if (check.runtime() == null || check.handler() == null) {
            throw Problems.invalidRequest("A code check needs the runtime and the handler.");
        }
        byte[] zip = code.getBytes();
        Path unpacked;
        try {
            unpacked = codeCache.store(zip);
        } catch (IOException e) {
            throw Problems.invalidArchive("The code archive could not be unpacked: " + e.getMessage());
        }
        String codeSha256 = unpacked.getFileName().toString();
        if (check.dependenciesDigest() != null) {
            try {
                unpacked = codeCache.withDependencies(unpacked, check.dependenciesDigest());
            } catch (RuntimeException e) { // the build is not in the registry, or the registry does not answer
                throw Problems.platformError("container-manager", "The dependencies could not be installed for the"
                        + " check: " + e.getMessage());
            }
        }
        try {
            return verifier.verify(function, check, codeSha256, zip.length, unpacked);
        } catch (ContainerPool.WaitQueueFullException e) {
            throw Problems.platformError("container-manager", "No container was free to check the code.");
        } catch (NoContainerException e) {
            throw Problems.platformError("container-manager", "The code could not be checked: "
                    + e.error().message());
        }
    }
}
