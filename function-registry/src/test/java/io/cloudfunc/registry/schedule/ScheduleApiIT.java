package io.cloudfunc.registry.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.contracts.schedule.ScheduleTick;
import io.cloudfunc.contracts.schedule.ScheduleTicks;
import io.cloudfunc.contracts.schedule.ScheduleView;
import io.cloudfunc.registry.RegistryIntegrationTest;
import io.cloudfunc.registry.function.Zips;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * Schedules against the real PostgreSQL: CRUD, the problems of bad input, and claims of due ticks (one claimant per
 * tick, the latest missed tick once).
 */
class ScheduleApiIT extends RegistryIntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void createsListsPausesResumesAndDeletesASchedule() {
        deploy("sched-crud");
        ScheduleView created = http.post().uri("/internal/functions/sched-crud/schedules")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"name\":\"every-5m\",\"cron\":\"*/5 * * * *\",\"timezone\":\"Europe/Paris\","
                        + "\"data\":{\"report\":\"daily\"}}")
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/internal/functions/sched-crud/schedules/every-5m")
                .expectBody(ScheduleView.class).returnResult().getResponseBody();
        assertThat(created.function()).isEqualTo("sched-crud");
        assertThat(created.cron()).isEqualTo("*/5 * * * *");
        assertThat(created.timezone()).isEqualTo("Europe/Paris");
        assertThat(created.data().get("report").asString()).isEqualTo("daily");
        assertThat(created.paused()).isFalse();
        assertThat(created.lastRunAt()).isNull();
        assertThat(created.nextRuns()).hasSize(3);
        assertThat(created.nextRuns().getFirst()).isAfter(Instant.now().minusSeconds(1));
        for (int i = 0; i < 3; i++) {
            assertThat(created.nextRuns().get(i).getEpochSecond() % 300).isZero();
        }
        assertThat(Duration.between(created.nextRuns().get(0), created.nextRuns().get(1)))
                .isEqualTo(Duration.ofMinutes(5));

        ScheduleView generated = http.post().uri("/internal/functions/sched-crud/schedules")
                .contentType(MediaType.APPLICATION_JSON).body("{\"cron\":\"@every 30s\"}")
                .exchange().expectStatus().isCreated()
                .expectBody(ScheduleView.class).returnResult().getResponseBody();
        assertThat(generated.name()).startsWith("schedule-");
        assertThat(generated.timezone()).isEqualTo("UTC");
        assertThat(generated.data().isObject()).isTrue();
        assertThat(generated.data().size()).isZero();
        assertThat(generated.nextRuns().getFirst().getEpochSecond() % 30).isZero();

        List<ScheduleView> listed = list("sched-crud");
        assertThat(listed).extracting(ScheduleView::name).containsExactly("every-5m", generated.name());

        ScheduleView paused = http.post().uri("/internal/functions/sched-crud/schedules/every-5m/pause")
                .exchange().expectStatus().isOk().expectBody(ScheduleView.class).returnResult().getResponseBody();
        assertThat(paused.paused()).isTrue();
        assertThat(paused.nextRuns()).isEmpty();
        ScheduleView resumed = http.post().uri("/internal/functions/sched-crud/schedules/every-5m/resume")
                .exchange().expectStatus().isOk().expectBody(ScheduleView.class).returnResult().getResponseBody();
        assertThat(resumed.paused()).isFalse();
        assertThat(resumed.nextRuns()).hasSize(3);

        http.delete().uri("/internal/functions/sched-crud/schedules/every-5m").exchange()
                .expectStatus().isNoContent();
        assertProblem(http.get().uri("/internal/functions/sched-crud/schedules/every-5m").exchange(), 404,
                ProblemTypes.SCHEDULE_NOT_FOUND).jsonPath("$.schedule").isEqualTo("every-5m");
        assertThat(list("sched-crud")).extracting(ScheduleView::name).containsExactly(generated.name());
    }

    @Test
    void answersProblemsForBadInput() {
        deploy("sched-bad");
        assertProblem(create("sched-bad", "{\"cron\":\"61 * * * *\"}"), 400, ProblemTypes.INVALID_REQUEST)
                .jsonPath("$.cron").isEqualTo("61 * * * *");
        assertProblem(create("sched-bad", "{\"cron\":\"* * * *\"}"), 400, ProblemTypes.INVALID_REQUEST)
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("five fields"));
        assertProblem(create("sched-bad", "{\"cron\":\"0 0 30 2 *\"}"), 400, ProblemTypes.INVALID_REQUEST)
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("never fires"));
        assertProblem(create("sched-bad", "{\"cron\":\"@every 500ms\"}"), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(create("sched-bad", "{\"cron\":\"@every soon\"}"), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(create("sched-bad", "{}"), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(create("sched-bad", "{\"cron\":\"@hourly\",\"timezone\":\"Mars/Olympus\"}"), 400,
                ProblemTypes.INVALID_REQUEST).jsonPath("$.timezone").isEqualTo("Mars/Olympus");
        assertProblem(create("sched-bad", "{\"cron\":\"@hourly\",\"data\":[1,2]}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(create("sched-bad", "{\"cron\":\"@hourly\",\"data\":{\"big\":\"" + "x".repeat(70_000)
                + "\"}}"), 413, ProblemTypes.PAYLOAD_TOO_LARGE);
        assertProblem(create("sched-bad", "{\"cron\":\"@hourly\",\"name\":\"Bad Name\"}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(create("sched-bad", "{\"cron\":\"@hourly\",\"bogus\":1}"), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(create("sched-none", "{\"cron\":\"@hourly\"}"), 404, ProblemTypes.FUNCTION_NOT_FOUND);
        assertProblem(http.get().uri("/internal/functions/sched-none/schedules").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertProblem(http.post().uri("/internal/functions/sched-bad/schedules/nope/pause").exchange(), 404,
                ProblemTypes.SCHEDULE_NOT_FOUND);
        assertProblem(http.delete().uri("/internal/functions/sched-bad/schedules/nope").exchange(), 404,
                ProblemTypes.SCHEDULE_NOT_FOUND);

        create("sched-bad", "{\"cron\":\"@hourly\",\"name\":\"twice\"}").expectStatus().isCreated();
        assertProblem(create("sched-bad", "{\"cron\":\"@daily\",\"name\":\"twice\"}"), 409,
                ProblemTypes.SCHEDULE_EXISTS);
        assertThat(list("sched-bad")).extracting(ScheduleView::name).containsExactly("twice");
    }

    @Test
    void deletingTheFunctionDeletesItsSchedules() {
        deploy("sched-cascade");
        create("sched-cascade", "{\"cron\":\"@hourly\",\"name\":\"h\"}").expectStatus().isCreated();
        http.delete().uri("/internal/functions/sched-cascade").exchange().expectStatus().isNoContent();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM schedules WHERE name = 'h' AND function_id NOT IN "
                + "(SELECT id FROM functions)", Long.class)).isZero();
        deploy("sched-cascade");
        assertThat(list("sched-cascade")).isEmpty();
    }

    @Test
    void eachDueTickIsClaimedOnceAndOnlyTheLatestMissedTickRuns() throws Exception {
        deploy("sched-claim");
        ScheduleView schedule = create("sched-claim", "{\"cron\":\"*/5 * * * *\",\"name\":\"five\","
                + "\"data\":{\"n\":1}}").expectStatus().isCreated().expectBody(ScheduleView.class).returnResult()
                .getResponseBody();
        // as if every scheduler had been down for an hour: twelve ticks missed
        jdbc.update("UPDATE schedules SET next_tick = next_tick - interval '1 hour' WHERE name = 'five'");

        // eight claimants at once: exactly one gets the tick
        List<ScheduleTick> claimed = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ScheduleTicks>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit((Callable<ScheduleTicks>) this::claim));
            }
            for (Future<ScheduleTicks> answer : answers) {
                answer.get().ticks().stream().filter(t -> t.functionName().equals("sched-claim"))
                        .forEach(claimed::add);
            }
        }
        assertThat(claimed).hasSize(1);
        ScheduleTick tick = claimed.getFirst();
        // the latest missed tick (the last five-minute boundary), not the oldest
        Instant expected = schedule.nextRuns().getFirst().minus(Duration.ofMinutes(5));
        assertThat(tick.tick()).isEqualTo(expected);
        assertThat(tick.schedule()).isEqualTo("five");
        assertThat(tick.version()).isEqualTo(1);
        assertThat(tick.codeSha256()).hasSize(64);
        assertThat(tick.data().get("n").asInt()).isEqualTo(1);
        assertThat(tick.invocationId().version()).isEqualTo(7);
        assertThat(tick.invocationId()).isEqualTo(ScheduleService.invocationId(scheduleId("five"), tick.tick()));

        ScheduleView after = http.get().uri("/internal/functions/sched-claim/schedules/five").exchange()
                .expectStatus().isOk().expectBody(ScheduleView.class).returnResult().getResponseBody();
        assertThat(after.lastRunAt()).isEqualTo(tick.tick());
        assertThat(after.lastInvocationId()).isEqualTo(tick.invocationId());
        assertThat(after.nextRuns().getFirst()).isEqualTo(schedule.nextRuns().getFirst());
        // nothing more is due until then
        assertThat(claim().ticks()).noneMatch(t -> t.functionName().equals("sched-claim"));
        assertThat(claim().nextDueAt()).isNotNull();
    }

    @Test
    void pausedSchedulesAreNotClaimedAndResumeWithoutTheTicksTheyMissed() {
        deploy("sched-pause");
        create("sched-pause", "{\"cron\":\"@every 1s\",\"name\":\"p\"}").expectStatus().isCreated();
        http.post().uri("/internal/functions/sched-pause/schedules/p/pause").exchange().expectStatus().isOk();
        jdbc.update("UPDATE schedules SET next_tick = now() - interval '1 minute' WHERE name = 'p'");
        assertThat(claim().ticks()).noneMatch(t -> t.functionName().equals("sched-pause"));

        ScheduleView resumed = http.post().uri("/internal/functions/sched-pause/schedules/p/resume").exchange()
                .expectStatus().isOk().expectBody(ScheduleView.class).returnResult().getResponseBody();
        assertThat(resumed.nextRuns().getFirst()).isAfter(Instant.now().minusSeconds(1));
    }

    @Test
    void refusesAClaimLimitOutOfRange() {
        assertProblem(http.post().uri("/internal/schedule-ticks/claims?limit=0").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
    }

    private ScheduleTicks claim() {
        return http.post().uri("/internal/schedule-ticks/claims").exchange().expectStatus().isOk()
                .expectBody(ScheduleTicks.class).returnResult().getResponseBody();
    }

    private long scheduleId(String name) {
        return jdbc.queryForObject("SELECT id FROM schedules WHERE name = ?", Long.class, name);
    }

    private List<ScheduleView> list(String function) {
        ScheduleView[] views = http.get().uri("/internal/functions/{f}/schedules", function).exchange()
                .expectStatus().isOk().expectBody(ScheduleView[].class).returnResult().getResponseBody();
        return List.of(views);
    }

    private RestTestClient.ResponseSpec create(String function, String body) {
        return http.post().uri("/internal/functions/{f}/schedules", function).contentType(MediaType.APPLICATION_JSON)
                .body(body).exchange();
    }

    private void deploy(String name) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        var json = new HttpHeaders();
        json.setContentType(MediaType.APPLICATION_JSON);
        parts.add("metadata", new HttpEntity<>("{\"name\":\"" + name + "\",\"runtime\":\"python\","
                + "\"handler\":\"function.handler\"}", json));
        var zip = new HttpHeaders();
        zip.setContentType(MediaType.parseMediaType("application/zip"));
        zip.setContentDispositionFormData("code", "code.zip");
        parts.add("code", new HttpEntity<>(Zips.helloFunction(), zip));
        http.post().uri("/internal/functions").contentType(MediaType.MULTIPART_FORM_DATA).body(parts)
                .exchange().expectStatus().isCreated();
    }

}
