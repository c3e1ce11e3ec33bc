package io.cloudfunc.registry.trigger;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.contracts.trigger.CreateTrigger;
import io.cloudfunc.contracts.trigger.TriggerChanged;
import io.cloudfunc.contracts.trigger.TriggerCounts;
import io.cloudfunc.contracts.trigger.TriggerDefinition;
import io.cloudfunc.contracts.trigger.TriggerKind;
import io.cloudfunc.contracts.trigger.TriggerView;
import io.cloudfunc.registry.function.FunctionIds;
import io.cloudfunc.registry.function.SecretsCipher;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.ProblemException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, reads and deletes triggers, each change under the function's row lock (so it serialises with a delete of
 * the function) and announced by {@link TriggerChanged} after commit. The URL is sealed with the function's secrets
 * key ({@link SecretsCipher}, the function and trigger names as associated data) and only ever shown masked.
 */
@Service
class TriggerService {

    private static final Logger log = LoggerFactory.getLogger(TriggerService.class);
    private static final String URL_KEY = "url";
    private static final int MAX_ERROR = 1000;
    private static final String VIEW = """
            select f.name as function_name, t.name, t.kind, t.source, t.url_masked, t.concurrency, t.dead_letter,
                   t.created_at, t.deliveries, t.failures, t.last_delivery_at, t.last_error
            from triggers t join functions f on f.id = t.function_id
            """;

    private final JdbcClient jdbc;
    private final FunctionIds functions;
    private final SecretsCipher cipher;
    private final ApplicationEventPublisher events;

    TriggerService(JdbcClient jdbc, FunctionIds functions, SecretsCipher cipher, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.functions = functions;
        this.cipher = cipher;
        this.events = events;
    }

    @Transactional
    TriggerView create(String function, CreateTrigger request) {
        TriggerRules.Checked trigger = TriggerRules.check(request);
        long functionId = functions.locked(function);
        boolean taken = jdbc.sql("select count(*) from triggers where function_id = ? and name = ?")
                .params(functionId, trigger.name()).query(Long.class).single() > 0;
        if (taken) {
            throw RegistryProblems.functionItemExists(ProblemTypes.TRIGGER_EXISTS, function, "trigger", trigger.name());
        }
        byte[] sealed = trigger.url() == null ? null
                : cipher.encrypt(associatedData(function, trigger.name()), Map.of(URL_KEY, trigger.url()));
        jdbc.sql("""
                insert into triggers (function_id, name, kind, source, url_sealed, url_masked, concurrency,
                                      dead_letter, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).params(functionId, trigger.name(), trigger.kind().wireName(), trigger.source(), sealed,
                        trigger.maskedUrl(), trigger.concurrency(), trigger.deadLetter(),
                        Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS)))
                .update();
        events.publishEvent(new TriggerChanged(function, trigger.name(), TriggerChanged.Change.CREATED));
        log.info("Trigger {}/{} created: {} {}", function, trigger.name(), trigger.kind().wireName(),
                trigger.source());
        return get(function, trigger.name());
    }

    @Transactional(readOnly = true)
    List<TriggerView> list(String function) {
        functions.of(function);
        return jdbc.sql(VIEW + " where f.name = ? order by t.name").param(function).query(TriggerService::view)
                .list();
    }

    @Transactional(readOnly = true)
    TriggerView get(String function, String name) {
        return jdbc.sql(VIEW + " where f.name = ? and t.name = ?").params(function, name)
                .query(TriggerService::view).optional().orElseThrow(() -> {
                    functions.of(function);
                    return notFound(function, name);
                });
    }

    @Transactional
    void delete(String function, String name) {
        long functionId = functions.locked(function);
        if (jdbc.sql("delete from triggers where function_id = ? and name = ?").params(functionId, name)
                .update() == 0) {
            throw notFound(function, name);
        }
        events.publishEvent(new TriggerChanged(function, name, TriggerChanged.Change.DELETED));
        log.info("Trigger {}/{} deleted", function, name);
    }

    /** Every trigger with its URL decrypted, for the schedulers. */
    @Transactional(readOnly = true)
    List<TriggerDefinition> definitions() {
        return jdbc.sql("""
                select f.name as function_name, t.name, t.kind, t.source, t.url_sealed, t.concurrency, t.dead_letter
                from triggers t join functions f on f.id = t.function_id order by f.name, t.name
                """).query((rs, row) -> {
                    String function = rs.getString("function_name");
                    String name = rs.getString("name");
                    byte[] sealed = rs.getBytes("url_sealed");
                    String url;
                    try {
                        url = sealed == null ? null
                                : cipher.decrypt(associatedData(function, name), sealed).get(URL_KEY);
                    } catch (IllegalStateException e) {
                        // another key (registry.secrets.key changed): this trigger cannot run, the others can
                        log.error("Trigger {}/{} is left out: its URL cannot be decrypted with the configured key",
                                function, name);
                        return null;
                    }
                    return new TriggerDefinition(function, name, TriggerKind.parse(rs.getString("kind")).orElseThrow(),
                            rs.getString("source"), url, rs.getInt("concurrency"), rs.getString("dead_letter"));
                }).list().stream().filter(java.util.Objects::nonNull).toList();
    }

    /** Adds a scheduler's counts to the totals; counts of a trigger gone meanwhile are dropped. */
    @Transactional
    void addCounts(List<TriggerCounts> counts) {
        for (TriggerCounts c : counts) {
            String error = c.lastError() == null ? null
                    : c.lastError().length() > MAX_ERROR ? c.lastError().substring(0, MAX_ERROR) : c.lastError();
            jdbc.sql("""
                    update triggers t set deliveries = deliveries + :deliveries, failures = failures + :failures,
                        last_delivery_at = greatest(last_delivery_at, :lastDeliveryAt),
                        last_error = case when :lastErrorAt::timestamptz is not null
                            and :lastErrorAt::timestamptz >= coalesce(last_error_at, '-infinity'::timestamptz)
                            then :lastError else last_error end,
                        last_error_at = greatest(last_error_at, :lastErrorAt::timestamptz)
                    from functions f
                    where f.id = t.function_id and f.name = :function and t.name = :name
                    """)
                    .param("deliveries", Math.max(0, c.deliveries()))
                    .param("failures", Math.max(0, c.failures()))
                    .param("lastDeliveryAt", timestamp(c.lastDeliveryAt()))
                    .param("lastErrorAt", timestamp(c.lastErrorAt()))
                    .param("lastError", error)
                    .param("function", c.function())
                    .param("name", c.name())
                    .update();
        }
    }

    private static String associatedData(String function, String trigger) {
        return function + "/trigger/" + trigger;
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static ProblemException notFound(String function, String name) {
        return RegistryProblems.functionItemNotFound(ProblemTypes.TRIGGER_NOT_FOUND, function, "trigger", name,
                "function '" + function + "' has no trigger named '" + name + "'");
    }

    private static TriggerView view(ResultSet rs, int row) throws SQLException {
        Timestamp lastDelivery = rs.getTimestamp("last_delivery_at");
        return new TriggerView(rs.getString("function_name"), rs.getString("name"), rs.getString("kind"),
                rs.getString("source"), rs.getString("url_masked"), rs.getInt("concurrency"),
                rs.getString("dead_letter"), rs.getTimestamp("created_at").toInstant(), rs.getLong("deliveries"),
                rs.getLong("failures"), lastDelivery == null ? null : lastDelivery.toInstant(),
                rs.getString("last_error"));
    }
}
