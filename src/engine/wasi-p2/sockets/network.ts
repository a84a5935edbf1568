/**
 * wasi:sockets/network 0.2 `network`: the handle to the network a guest's sockets bind and connect
 * on. A run has one (`instance-network`); what it may reach is the run's grant, checked on each
 * bind, connect and datagram, so the handle itself carries nothing.
 */
export class Network {}
