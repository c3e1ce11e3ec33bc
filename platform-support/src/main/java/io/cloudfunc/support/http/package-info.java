/**
 * HTTP between the services: {@link io.cloudfunc.support.http.PooledHttpClients} builds the pooled, kept-alive
 * Apache HttpClient 5 clients, {@link io.cloudfunc.support.http.BufferedResponse} reads an answer whole. Needs
 * httpclient5 on the classpath (an optional dependency of this module).
 */
package io.cloudfunc.support.http;
