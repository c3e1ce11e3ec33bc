package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.InvocationPage;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.registry.problem.RegistryProblems;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads invocation records: one, waited for a moment when it is about to be written ({@link RecordWait}), and pages
 * of them. Records are written only by {@link InvocationRecordWriter}, from messages.
 */
@Service
class InvocationService {

    private final InvocationRepository invocations;
    private final JdbcTemplate jdbc;
    private final RecordWait recordWait;

    InvocationService(InvocationRepository invocations, JdbcTemplate jdbc, RecordWait recordWait) {
        this.invocations = invocations;
        this.jdbc = jdbc;
        this.recordWait = recordWait;
    }

    /**
     * A page of records matching {@code query}, newest first (acceptance time, then id); with {@code ownerKeyId},
     * only the records of calls that key made (an invoker's view).
     */
    @Transactional(readOnly = true)
    InvocationPage page(HistoryQuery query, boolean deadLettersOnly, UUID ownerKeyId) {
        Specification<InvocationEntity> spec = (root, q, cb) -> {
            var where = new ArrayList<jakarta.persistence.criteria.Predicate>();
            if (ownerKeyId != null) {
                where.add(cb.equal(root.get("apiKeyId"), ownerKeyId));
            }
            if (query.functionName() != null) {
                where.add(cb.equal(root.get("functionName"), query.functionName()));
            }
            if (deadLettersOnly) {
                where.add(cb.isTrue(root.get("deadLettered")));
            }
            if (query.status() != null) {
                where.add(cb.equal(root.get("status"), query.status()));
            }
            if (query.from() != null) {
                where.add(cb.greaterThanOrEqualTo(root.get("acceptedAt"), query.from()));
            }
            if (query.to() != null) {
                where.add(cb.lessThan(root.get("acceptedAt"), query.to()));
            }
            if (query.cursor() != null) {
                where.add(cb.or(cb.lessThan(root.get("acceptedAt"), query.cursor().acceptedAt()),
                        cb.and(cb.equal(root.get("acceptedAt"), query.cursor().acceptedAt()),
                                cb.lessThan(root.<UUID>get("id"), query.cursor().id()))));
            }
            return cb.and(where.toArray(jakarta.persistence.criteria.Predicate[]::new));
        };
        Sort newestFirst = Sort.by(Sort.Order.desc("acceptedAt"), Sort.Order.desc("id"));
        List<InvocationEntity> found = invocations.findBy(spec,
                fluent -> fluent.sortBy(newestFirst).limit(query.limit() + 1).all());
        boolean more = found.size() > query.limit();
        List<InvocationView> items = found.stream().limit(query.limit()).map(InvocationEntity::toView).toList();
        String next = null;
        if (more) {
            InvocationView last = items.getLast();
            next = new HistoryCursor(last.acceptedAt(), last.id()).encode();
        }
        return new InvocationPage(items, next);
    }

    boolean functionExists(String functionName) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM functions WHERE name = ?)",
                Boolean.class, functionName));
    }

    /**
     * The record; with {@code callerKeyId}, only if that key made the call: another key's record is "not found", so
     * that an invoker learns nothing about calls it did not make.
     */
    InvocationView get(UUID id, UUID callerKeyId) {
        return recordWait.read(id, () -> invocations.findById(id))
                .filter(entity -> callerKeyId == null || entity.madeBy(callerKeyId))
                .map(InvocationEntity::toView)
                .orElseThrow(() -> RegistryProblems.invocationNotFound(id));
    }
}
