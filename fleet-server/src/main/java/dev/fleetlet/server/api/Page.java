package dev.fleetlet.server.api;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One page of a list answer.
 *
 * @param items the items of this page
 * @param page  0-based page number
 * @param size  requested page size
 * @param total number of items over all pages
 */
@Serdeable
public record Page<T>(List<T> items, int page, int size, long total) {

    public static final int MAX_SIZE = 500;

    public Page {
        items = List.copyOf(items);
    }

    /** Checks paging parameters: page &gt;= 0, 1 &lt;= size &lt;= {@value #MAX_SIZE}. */
    public static void check(int page, int size) {
        if (page < 0) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "page", "must be >= 0");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "size", "must be between 1 and " + MAX_SIZE);
        }
    }
}
