package io.cloudfunc.support.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.contracts.node.NodeView;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeDirectoryTests {

    private static final Instant T0 = Instant.parse("2026-12-07T20:00:00Z");

    private final MovingClock clock = new MovingClock();
    private final NodeDirectory directory = new NodeDirectory(clock, Duration.ofSeconds(10), Duration.ofSeconds(60));

    @Test
    void aNodeIsLiveUntilSilentForTheTimeout() {
        directory.heard(announcement("a", T0, 1, NodeAnnouncement.UP));
        clock.advance(Duration.ofMillis(9_999));
        assertThat(directory.live()).extracting(NodeAnnouncement::nodeId).containsExactly("a");
        clock.advance(Duration.ofMillis(1));
        assertThat(directory.live()).isEmpty();
        assertThat(directory.out()).containsExactly("a");
        assertThat(directory.views()).extracting(NodeView::state).containsExactly(NodeView.OUT);
    }

    @Test
    void aNodeThatComesBackIsLiveAgain() {
        directory.heard(announcement("a", T0, 7, NodeAnnouncement.UP));
        clock.advance(Duration.ofSeconds(30));
        assertThat(directory.live("a")).isEmpty();
        // restarted: a later process start with its sequence starting again at 1
        assertThat(directory.heard(announcement("a", T0.plusSeconds(25), 1, NodeAnnouncement.UP))).isTrue();
        assertThat(directory.live("a")).isPresent();
        assertThat(directory.out()).isEmpty();
    }

    @Test
    void anOlderAnnouncementArrivingLateIsIgnored() {
        directory.heard(announcement("a", T0, 5, NodeAnnouncement.DRAINING));
        assertThat(directory.heard(announcement("a", T0, 4, NodeAnnouncement.UP))).isFalse();
        assertThat(directory.live("a")).map(NodeAnnouncement::state).contains(NodeAnnouncement.DRAINING);
    }

    @Test
    void anOutNodeIsForgottenAfterAWhile() {
        directory.heard(announcement("a", T0, 1, NodeAnnouncement.UP));
        directory.heard(announcement("b", T0, 1, NodeAnnouncement.UP));
        clock.advance(Duration.ofSeconds(30));
        directory.heard(announcement("b", T0, 2, NodeAnnouncement.UP));
        clock.advance(Duration.ofSeconds(31));
        assertThat(directory.views()).extracting(NodeView::id, NodeView::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b", NodeView.OUT));
    }

    @Test
    void aDrainingNodeIsLiveButTakesNoCalls() {
        directory.heard(announcement("a", T0, 1, NodeAnnouncement.DRAINING));
        assertThat(directory.live()).singleElement().satisfies(a -> assertThat(a.takesCalls()).isFalse());
    }

    @Test
    void aRememberedNodeIsOutOnceATimeoutPassedWithoutHearingIt() {
        assertThat(directory.remember(Map.of("gone", T0.minusSeconds(3600), "back", T0.minusSeconds(30))))
                .containsExactly("back", "gone");
        assertThat(directory.live()).isEmpty();
        assertThat(directory.out()).as("a live node gets a timeout to be heard").isEmpty();
        clock.advance(Duration.ofSeconds(2));
        directory.heard(announcement("back", T0, 1, NodeAnnouncement.UP));
        clock.advance(Duration.ofSeconds(8));
        assertThat(directory.out()).containsExactly("gone");
        assertThat(directory.live()).extracting(NodeAnnouncement::nodeId).containsExactly("back");
        assertThat(directory.views()).extracting(NodeView::id).as("only heard nodes are listed")
                .containsExactly("back");
    }

    @Test
    void aNodeHeardAlreadyIsNotRemembered() {
        directory.heard(announcement("a", T0, 1, NodeAnnouncement.UP));
        assertThat(directory.remember(Map.of("a", T0.minusSeconds(3600)))).isEmpty();
        assertThat(directory.remember(Map.of("b", T0.minusSeconds(3600)))).containsExactly("b");
        assertThat(directory.remember(Map.of("b", T0.minusSeconds(60)))).as("remembered once").isEmpty();
        clock.advance(Duration.ofSeconds(5));
        assertThat(directory.live("a")).isPresent();
    }

    @Test
    void aNodeIsLongGoneWhenSilentForForgetAfterAndForgottenOnRequest() {
        directory.remember(Map.of("old", T0.minusSeconds(60), "recent", T0.minusSeconds(59)));
        directory.heard(announcement("heard", T0, 1, NodeAnnouncement.UP));
        assertThat(directory.longGone("old")).isTrue();
        assertThat(directory.longGone("recent")).isFalse();
        assertThat(directory.longGone("heard")).isFalse();
        assertThat(directory.longGone("unknown")).isTrue();
        clock.advance(Duration.ofSeconds(60));
        assertThat(directory.longGone("recent")).isTrue();
        assertThat(directory.longGone("heard")).isTrue();
        assertThat(directory.out()).containsExactly("heard", "old", "recent");

        directory.forget("old");
        directory.forget("heard");
        assertThat(directory.out()).containsExactly("recent");
        assertThat(directory.views()).isEmpty();
    }

    static NodeAnnouncement announcement(String id, Instant startedAt, long sequence, String state) {
        return new NodeAnnouncement(id, URI.create("http://127.0.0.1:9100"), startedAt, sequence, startedAt, state,
                new NodeAnnouncement.Capacity(1024, 0, 4, 0, 4), new NodeAnnouncement.Load(0, 0, 0), List.of(),
                Map.of());
    }

    private static final class MovingClock extends Clock {
        private Instant now = T0;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
