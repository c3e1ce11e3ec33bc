/** REST views of container-manager nodes ({@code GET /nodes}). */
package io.cloudfunc.contracts.node;
