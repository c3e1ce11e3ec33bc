package io.cloudfunc.scheduler.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cloudfunc.contracts.function.AliasView;
import io.cloudfunc.contracts.function.AliasWeight;
import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.registry.RegistryClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import tools.jackson.databind.json.JsonMapper;

class FunctionResolverTests {

    private final RegistryClient registry = mock(RegistryClient.class);
    private final FunctionResolver resolver = new FunctionResolver(registry, new SchedulerProperties(
            URI.create("http://localhost:7000"), Duration.ofSeconds(10), Duration.ofHours(24), Duration.ofMillis(200),
            Duration.ofSeconds(1), Duration.ofSeconds(1), new SchedulerProperties.FunctionCache(Duration.ofMinutes(1), 100),
            new SchedulerProperties.Intake(1, 1), new SchedulerProperties.Records(Duration.ofMillis(1), 16),
            new SchedulerProperties.Callbacks(2, Duration.ofMillis(10), Duration.ofSeconds(1), 1)));

    @Test
    void cachesEachReferenceAndForgetsAllOfAFunctionOnInvalidate() {
        when(registry.alias("f", "prod")).thenReturn(alias("f", "prod", 1));
        when(registry.version("f", "prod")).thenReturn(version("f", 1), version("f", 2));
        when(registry.version("f", "latest")).thenReturn(version("f", 2));
        when(registry.version("g", "latest")).thenReturn(version("g", 5));
        var prod = new FunctionRefs.Ref("f", "prod");

        assertThat(resolver.resolve(prod).version()).isEqualTo(1);
        assertThat(resolver.resolve(prod).version()).isEqualTo(1);
        resolver.resolve(new FunctionRefs.Ref("f", "latest"));
        resolver.resolve(new FunctionRefs.Ref("g", "latest"));

        resolver.invalidate("f"); // e.g. the alias prod moved to 2

        assertThat(resolver.resolve(prod).version()).isEqualTo(2);
        resolver.resolve(new FunctionRefs.Ref("g", "latest"));
        verify(registry, times(2)).version("f", "prod");
        verify(registry, times(1)).version("g", "latest");
    }

    @Test
    void afterAnInvalidateTheLatestVersionIsLoadedAgainInTheBackgroundAndAGoneFunctionIsNotCached() {
        when(registry.version("h", "latest")).thenReturn(version("h", 7));
        when(registry.version("gone", "latest")).thenThrow(new IllegalStateException("404"));

        resolver.invalidate("h"); // a deploy: nothing of h was cached yet
        resolver.invalidate("gone");

        verify(registry, timeout(5_000)).version("h", "latest");
        verify(registry, timeout(5_000)).version("gone", "latest");
        assertThat(resolver.resolve(new FunctionRefs.Ref("h", "latest")).version()).isEqualTo(7);
        verify(registry, times(1)).version("h", "latest"); // the call found it loaded
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> resolver.resolve(new FunctionRefs.Ref("gone",
                "latest"))).hasMessage("404");
    }

    @Test
    void aDeployThatBringsItsVersionBecomesTheLatestWithoutAskingTheRegistry() {
        when(registry.alias("d", "prod")).thenReturn(alias("d", "prod", 1));
        when(registry.version("d", "prod")).thenReturn(version("d", 1));
        var prod = new FunctionRefs.Ref("d", "prod");
        var latest = new FunctionRefs.Ref("d", "latest");
        resolver.resolve(prod);

        resolver.deployed(version("d", 2));

        assertThat(resolver.resolve(latest).version()).isEqualTo(2);
        verify(registry, never()).version("d", "latest");
        verify(registry, timeout(5_000).times(2)).version("d", "prod"); // other references: dropped and reloaded
        resolver.deployed(version("d", 1)); // a late event of an older deploy does not go back
        assertThat(resolver.resolve(latest).version()).isEqualTo(2);
    }

    @Test
    void theGatewaysWordOfANewVersionKeepsALatestAlreadyThatNewAndReloadsAnOlderOne() {
        when(registry.version("e", "latest")).thenReturn(version("e", 4));
        var latest = new FunctionRefs.Ref("e", "latest");
        resolver.deployed(version("e", 3)); // the event came first

        resolver.invalidate("e", 3);

        assertThat(resolver.resolve(latest).version()).isEqualTo(3);
        verify(registry, never()).version("e", "latest");

        resolver.invalidate("e", 4); // the gateway's deploy of 4 overtook its event

        verify(registry, timeout(5_000)).version("e", "latest");
        assertThat(resolver.resolve(latest).version()).isEqualTo(4);
    }

    @Test
    void theListenerReadsDeployEventsWithTheirVersionAndWithout() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        FunctionChangedListener listener = new FunctionChangedListener(resolver, json);
        when(registry.version("old", "latest")).thenReturn(version("old", 9));

        listener.onMessage(new Message(json.writeValueAsBytes(new FunctionChanged("new",
                FunctionChanged.Change.DEPLOYED, 5, version("new", 5)))));
        listener.onMessage(new Message("{\"functionName\":\"old\",\"change\":\"DEPLOYED\",\"latestVersion\":9}"
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(resolver.resolve(new FunctionRefs.Ref("new", "latest")).version()).isEqualTo(5);
        verify(registry, never()).version("new", "latest");
        verify(registry, timeout(5_000)).version("old", "latest"); // an event without it: loaded again
    }

    @Test
    void aWeightedAliasIsCachedWithItsVersionsAndEachCallDrawsOneByWeight() {
        when(registry.alias("w", "prod")).thenReturn(new AliasView("w", "prod", 3,
                List.of(new AliasWeight(3, 90), new AliasWeight(4, 10)), Instant.now(), Instant.now()));
        when(registry.version("w", "3")).thenReturn(version("w", 3));
        when(registry.version("w", "4")).thenReturn(version("w", 4));
        var prod = new FunctionRefs.Ref("w", "prod");

        Map<Integer, Integer> runs = new java.util.TreeMap<>();
        for (int i = 0; i < 2_000; i++) {
            runs.merge(resolver.resolve(prod).version(), 1, Integer::sum);
        }

        assertThat(runs.keySet()).containsExactly(3, 4);
        // binomial(2000, 0.1): sd ~13 calls, so 200 +- 100 is more than 7 sd
        assertThat(runs.get(4)).isBetween(100, 300);
        verify(registry, times(1)).alias("w", "prod");
        verify(registry, times(1)).version("w", "4");
        verify(registry, never()).version("w", "prod");
    }

    @Test
    void aSplitsDrawFollowsTheCumulativeWeightsInTheirOrder() {
        var split = new Target(List.of(version("s", 3), version("s", 4), version("s", 1)), List.of(90, 5, 5));

        assertThat(split.pick(0).version()).isEqualTo(3);
        assertThat(split.pick(89).version()).isEqualTo(3);
        assertThat(split.pick(90).version()).isEqualTo(4);
        assertThat(split.pick(94).version()).isEqualTo(4);
        assertThat(split.pick(95).version()).isEqualTo(1);
        assertThat(split.pick(99).version()).isEqualTo(1);
        assertThat(split.main().version()).isEqualTo(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Target(List.of(version("s", 1),
                version("s", 2)), List.of(90, 20))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void movingASplitAliasToOneVersionEndsTheSplitOnceTheFunctionIsInvalidated() {
        when(registry.alias("m", "prod")).thenReturn(new AliasView("m", "prod", 1,
                List.of(new AliasWeight(1, 50), new AliasWeight(2, 50)), Instant.now(), Instant.now()),
                alias("m", "prod", 2));
        when(registry.version("m", "1")).thenReturn(version("m", 1));
        when(registry.version("m", "2")).thenReturn(version("m", 2));
        when(registry.version("m", "prod")).thenReturn(version("m", 2));
        var prod = new FunctionRefs.Ref("m", "prod");
        resolver.resolve(prod);

        resolver.invalidate("m"); // the alias was moved to version 2 alone

        verify(registry, timeout(5_000).times(2)).alias("m", "prod");
        for (int i = 0; i < 200; i++) {
            assertThat(resolver.resolve(prod).version()).isEqualTo(2);
        }
    }

    private static AliasView alias(String name, String alias, int version) {
        return new AliasView(name, alias, version, List.of(new AliasWeight(version, 100)), Instant.now(),
                Instant.now());
    }

    private static FunctionVersionView version(String name, int version) {
        return new FunctionVersionView(name, version, "python", "function.handler", 1000, 128, 60_000, Map.of(), 0, 10,
                1, "none", null, null, 0, 1000L, "0".repeat(64), 10, Instant.now(), List.of());
    }
}
