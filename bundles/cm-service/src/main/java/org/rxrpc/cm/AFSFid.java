package org.rxrpc.cm;

/** An AFS file identifier (XDR: volume, vnode, unique; 12 bytes). */
public record AFSFid(int volume, int vnode, int unique) {}
