package io.cinnabar.pubsub;

import java.util.Arrays;

/**
 * The clients subscribed to one channel or pattern, in subscription order, as an array: PUBLISH walks it
 * without an iterator; (un)subscribing, which is rarer, shifts it.
 */
final class SubscriberList {
    private Subscriber[] items = new Subscriber[2];
    private int size;

    boolean add(Subscriber s) {
        if (indexOf(s) >= 0) {
            return false;
        }
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = s;
        return true;
    }

    boolean remove(Subscriber s) {
        int i = indexOf(s);
        if (i < 0) {
            return false;
        }
        System.arraycopy(items, i + 1, items, i, size - i - 1);
        items[--size] = null;
        return true;
    }

    private int indexOf(Subscriber s) {
        for (int i = 0; i < size; i++) {
            if (items[i] == s) {
                return i;
            }
        }
        return -1;
    }

    int size() {
        return size;
    }

    Subscriber get(int i) {
        return items[i];
    }
}
