package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script (src/launcher/cloudfunc, filtered as the build does) started as a user starts it: it finds a Java
 * 25 and the jar beside it, also when it is linked onto the PATH. The jar here is a stand-in that prints its arguments.
 */
class LauncherTests {

    @TempDir
    Path dir;

    private Path launcher;

    @BeforeEach
    void buildLikeMaven() throws IOException {
        Path build = Files.createDirectories(dir.resolve("cli/target"));
        String script = Files.readString(Path.of("src/launcher/cloudfunc"))
                .replace("@project.version@", "9.9")
                .replace("@java.home@", System.getProperty("java.home"));
        launcher = build.resolve("cloudfunc");
        Files.writeString(launcher, script);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        writeEchoJar(build.resolve("cli-9.9-all.jar"));
    }

    @Test
    void runsTheJarBesideItWithTheJdkThatBuiltIt() throws Exception {
        assertThat(run(launcher, Map.of(), "list", "-o", "json")).isEqualTo("args: list -o json\n");
    }

    @Test
    void runsFromALinkOntoThePath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("cloudfunc"), launcher);

        assertThat(run(bin.resolve("cloudfunc"), Map.of(), "invoke", "hello world")).isEqualTo("args: invoke hello world\n");
    }

    @Test
    void passesOverAJavaHomeWithoutJava() throws Exception {
        assertThat(run(launcher, Map.of("JAVA_HOME", dir.resolve("no-jdk").toString()), "list"))
                .isEqualTo("args: list\n");
    }

    private String run(Path script, Map<String, String> env, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }

    /** A jar whose main class prints "args:" and its arguments. */
    private void writeEchoJar(Path jar) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("Echo.java"),
                "public class Echo { public static void main(String[] a) { System.out.println(\"args: \" + String.join(\" \", a)); } }");
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", src.toString(),
                src.resolve("Echo.java").toString());
        assertThat(status).isZero();
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Echo");
        try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("Echo.class"));
            out.write(Files.readAllBytes(src.resolve("Echo.class")));
            out.closeEntry();
        }
    }
}
