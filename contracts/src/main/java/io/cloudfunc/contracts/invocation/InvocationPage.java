package io.cloudfunc.contracts.invocation;

import java.util.List;

/**
 * One page of invocation records, newest first. {@code nextCursor} is opaque: pass it as {@code cursor} to get the
 * next page; null on the last page.
 */
public record InvocationPage(List<InvocationView> items, String nextCursor) {

    public InvocationPage {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
