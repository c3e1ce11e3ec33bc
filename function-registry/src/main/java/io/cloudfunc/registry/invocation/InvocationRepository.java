package io.cloudfunc.registry.invocation;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

/** Reads records (written by {@link InvocationRecordWriter} only). */
interface InvocationRepository extends JpaRepository<InvocationEntity, UUID>,
        JpaSpecificationExecutor<InvocationEntity> {
}
