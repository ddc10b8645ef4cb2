package dev.ddbwarden.policy;

/** What a resource policy opens a table to, from least to most; the order is the severity order. */
public enum Exposure {
    NONE, CROSS_ACCOUNT, PUBLIC
}
