package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * picocli's classes are compiled by this module's build from picocli's published sources (cli/pom.xml), not taken
 * from picocli's jar: its Java 5 class files (version 49) cannot go into the AOT cache the launcher starts from, and
 * would be read and verified at every start.
 */
class PicocliBuildTests {

    @Test
    void picocliIsCompiledWithTheCliAndForItsRelease() throws IOException {
        int cliVersion = majorVersion(CloudFuncCli.class);

        for (Class<?> type : List.of(CommandLine.class, CommandLine.Model.CommandSpec.class, AutoComplete.class)) {
            assertThat(majorVersion(type)).as(type.getName()).isEqualTo(cliVersion).isGreaterThanOrEqualTo(50);
            assertThat(type.getProtectionDomain().getCodeSource().getLocation())
                    .as(type.getName() + " comes from where the CLI's classes come from")
                    .isEqualTo(CloudFuncCli.class.getProtectionDomain().getCodeSource().getLocation());
        }
    }

    @Test
    void picocliLicenseAndNoticeGoWithIt() throws IOException {
        for (String file : List.of("/META-INF/picocli/LICENSE", "/META-INF/picocli/NOTICE")) {
            try (InputStream in = CloudFuncCli.class.getResourceAsStream(file)) {
                assertThat(in).as(file).isNotNull();
                assertThat(new String(in.readAllBytes())).contains("Apache License");
            }
        }
    }

    private static int majorVersion(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            return ClassFile.of().parse(in.readAllBytes()).majorVersion();
        }
    }
}
