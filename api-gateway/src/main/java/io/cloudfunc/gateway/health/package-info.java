/**
 * {@code GET /health}: the gateway's health in one word, public, for seed 002's quick start and load balancers; and
 * the checks of what the gateway needs to serve calls (registry, schedulers on the intake queue, container-managers),
 * which make up its readiness ({@code /actuator/health/readiness}) beside the broker connection.
 */
package io.cloudfunc.gateway.health;
