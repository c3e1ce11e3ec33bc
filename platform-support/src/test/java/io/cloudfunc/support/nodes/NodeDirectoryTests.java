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
