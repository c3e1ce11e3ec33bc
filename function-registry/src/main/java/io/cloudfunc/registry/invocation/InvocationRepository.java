package io.cloudfunc.registry.invocation;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface InvocationRepository extends JpaRepository<InvocationEntity, UUID>,
        JpaSpecificationExecutor<InvocationEntity> {

    /** Locks the record, so that a RUNNING mark and the completion never overwrite each other. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select i from InvocationEntity i where i.id = :id")
    Optional<InvocationEntity> findByIdForUpdate(UUID id);
}
