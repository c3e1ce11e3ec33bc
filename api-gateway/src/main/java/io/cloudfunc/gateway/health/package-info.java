/** {@code GET /health}: the gateway's health in one word, public, for seed 002's quick start and load balancers. */
package io.cloudfunc.gateway.health;
