/**
 * Functions and their immutable versions: validating a deploy (metadata and zip archive), storing it as a new
 * version in one transaction, serving versions and code to the other services, and announcing every change with a
 * {@link io.cloudfunc.contracts.messaging.FunctionChanged} event after commit.
 */
package io.cloudfunc.registry.function;
