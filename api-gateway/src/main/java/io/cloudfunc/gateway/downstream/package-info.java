/**
 * HTTP clients of the services behind the gateway (function-registry, scheduler): one pool of kept-alive HTTP/1.1
 * connections (Apache HttpClient classic, TCP_NODELAY), raw bytes in and out, so that answers can be relayed
 * unchanged.
 */
package io.cloudfunc.gateway.downstream;
