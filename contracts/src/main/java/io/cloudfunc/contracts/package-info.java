/**
 * What crosses a boundary between CloudFunc's services, its CLI and outside programs: REST DTOs, AMQP message
 * records, topology names and problem types. Records and enums only; no framework beyond Jackson annotations.
 */
package io.cloudfunc.contracts;
