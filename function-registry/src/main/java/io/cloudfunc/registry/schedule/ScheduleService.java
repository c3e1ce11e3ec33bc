package io.cloudfunc.registry.schedule;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.messaging.ScheduleChanged;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.contracts.schedule.ScheduleRequest;
import io.cloudfunc.contracts.schedule.ScheduleTick;
import io.cloudfunc.contracts.schedule.ScheduleTicks;
import io.cloudfunc.contracts.schedule.ScheduleView;
import io.cloudfunc.registry.function.FunctionIds;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Schedules: create, read, pause, resume, delete, and the claim of due ticks. Every change raises
 * {@link ScheduleChanged}, sent after commit, so that the schedulers claim again at once.
 */
@Service
class ScheduleService {

    /** The largest {@code data} stored with a schedule, as JSON text. */
    static final int MAX_DATA_BYTES = 64 * 1024;
    /** How many runs ahead a view shows. */
    static final int NEXT_RUNS = 3;

    private static final Logger log = LoggerFactory.getLogger(ScheduleService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Schedules schedules;
    private final FunctionIds functions;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;

    ScheduleService(Schedules schedules, FunctionIds functions, ApplicationEventPublisher events, JsonMapper json) {
        this.schedules = schedules;
        this.functions = functions;
        this.events = events;
        this.json = json;
    }

    @Transactional
    ScheduleView create(String functionName, ScheduleRequest request) {
        long functionId = functions.of(functionName);
        String name = request.name() == null ? "schedule-" + HexFormat.of().formatHex(randomBytes()) : request.name();
        checkName(name);
        String timezone = request.timezone() == null ? "UTC" : request.timezone();
        ScheduleExpression expression = ScheduleExpression.parse(request.cron(), timezone);
        String data = data(request.data());
        Instant now = now();
        Instant next = expression.next(now);
        schedules.insert(functionId, name, request.cron().trim(), timezone, data, next, now)
                .orElseThrow(() -> RegistryProblems.functionItemExists(ProblemTypes.SCHEDULE_EXISTS, functionName,
                        "schedule", name));
        events.publishEvent(new ScheduleChanged(functionName, name));
        log.info("Schedule {}/{} created: '{}' in {}, first run at {}", functionName, name, request.cron(), timezone,
                next);
        return get(functionName, name);
    }

    @Transactional(readOnly = true)
    List<ScheduleView> list(String functionName) {
        functions.of(functionName);
        return schedules.list(functionName).stream().map(this::view).toList();
    }

    @Transactional(readOnly = true)
    ScheduleView get(String functionName, String name) {
        checkName(name);
        return view(schedules.find(functionName, name).orElseThrow(() -> notFound(functionName, name)));
    }

    @Transactional
    ScheduleView pause(String functionName, String name) {
        Schedules.Row row = locked(functionName, name);
        if (!row.paused()) {
            schedules.pause(row.id(), now());
            events.publishEvent(new ScheduleChanged(functionName, name));
            log.info("Schedule {}/{} paused", functionName, name);
        }
        return get(functionName, name);
    }

    @Transactional
    ScheduleView resume(String functionName, String name) {
        Schedules.Row row = locked(functionName, name);
        if (row.paused()) {
            Instant now = now();
            schedules.resume(row.id(), ScheduleExpression.parse(row.cron(), row.timezone()).next(now), now);
            events.publishEvent(new ScheduleChanged(functionName, name));
            log.info("Schedule {}/{} resumed", functionName, name);
        }
        return get(functionName, name);
    }

    @Transactional
    void delete(String functionName, String name) {
        checkName(name);
        long functionId = functions.of(functionName);
        if (schedules.delete(functionId, name) == 0) {
            throw notFound(functionName, name);
        }
        events.publishEvent(new ScheduleChanged(functionName, name));
        log.info("Schedule {}/{} deleted", functionName, name);
    }

    /**
     * Claims every due tick (at most {@code limit}): for each due schedule, the latest tick at or before now is the
     * caller's, older missed ones are skipped, and the schedule moves on to its first tick after now. Rows locked by
     * another claim are skipped, so two schedulers never get the same tick.
     */
    @Transactional
    ScheduleTicks claim(int limit) {
        Instant now = now();
        List<ScheduleTick> ticks = new ArrayList<>();
        for (Schedules.DueRow due : schedules.due(now, limit)) {
            Schedules.Row row = due.schedule();
            ScheduleExpression expression;
            try {
                expression = ScheduleExpression.parse(row.cron(), row.timezone());
            } catch (ProblemException e) {
                // stored valid; a zone the JDK no longer knows: stop the schedule rather than claim it forever
                log.warn("Schedule {}/{} cannot be read any more ({}); pausing it", row.functionName(), row.name(),
                        e.getMessage());
                schedules.pause(row.id(), now);
                continue;
            }
            Instant tick = expression.latestDue(row.nextTick(), now);
            Instant next = expression.next(now);
            if (next == null) {
                schedules.pause(row.id(), now);
                next = tick;
            }
            UUID invocationId = invocationId(row.id(), tick);
            schedules.claimed(row.id(), tick, invocationId, next);
            ticks.add(new ScheduleTick(row.functionName(), due.version(), due.codeSha256(), row.name(), tick,
                    invocationId, json.readTree(row.data())));
            if (tick.isAfter(row.nextTick())) {
                log.info("Schedule {}/{}: ticks from {} to before {} were missed and are skipped; running {}",
                        row.functionName(), row.name(), row.nextTick(), tick, tick);
            }
        }
        return new ScheduleTicks(ticks, schedules.earliestNextTick().orElse(null));
    }

    /**
     * A time-ordered (version 7) invocation id made from the schedule and the tick: its 48 time bits are the tick's
     * milliseconds, the rest comes from a name-based UUID of the pair. The same tick has the same id.
     */
    static UUID invocationId(long scheduleId, Instant tick) {
        UUID name = UUID.nameUUIDFromBytes(("schedule:" + scheduleId + ":" + tick)
                .getBytes(StandardCharsets.UTF_8));
        long high = (tick.toEpochMilli() << 16) | 0x7000L | (name.getMostSignificantBits() & 0x0FFFL);
        long low = (name.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    private ScheduleView view(Schedules.Row row) {
        List<Instant> nextRuns = new ArrayList<>();
        if (!row.paused()) {
            ScheduleExpression expression = ScheduleExpression.parse(row.cron(), row.timezone());
            Instant run = row.nextTick();
            while (run != null && nextRuns.size() < NEXT_RUNS) {
                nextRuns.add(run);
                run = expression.next(run);
            }
        }
        return new ScheduleView(row.functionName(), row.name(), row.cron(), row.timezone(), json.readTree(row.data()),
                row.paused(), nextRuns, row.lastTick(), row.lastInvocationId(), row.createdAt());
    }

    private String data(JsonNode data) {
        if (data == null || data.isNull()) {
            return "{}";
        }
        if (!data.isObject()) {
            throw Problems.invalidRequest("a schedule's 'data' must be a JSON object");
        }
        String text = json.writeValueAsString(data);
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
            throw Problems.payloadTooLarge("a schedule's 'data' may hold at most " + MAX_DATA_BYTES / 1024
                    + " KB of JSON");
        }
        return text;
    }

    private Schedules.Row locked(String functionName, String name) {
        checkName(name);
        return schedules.findForUpdate(functionName, name).orElseThrow(() -> notFound(functionName, name));
    }

    /** 404: no such function, or no such schedule of it. */
    private ProblemException notFound(String functionName, String name) {
        functions.of(functionName);
        return RegistryProblems.functionItemNotFound(ProblemTypes.SCHEDULE_NOT_FOUND, functionName, "schedule", name,
                "function '" + functionName + "' has no schedule '" + name + "'");
    }

    private static void checkName(String name) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidRequest("invalid schedule name '" + name + "': a schedule name is 1 to 63 "
                    + "lowercase letters, digits, dashes and underscores, starting with a letter or digit")
                    .with("schedule", name);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[3];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
