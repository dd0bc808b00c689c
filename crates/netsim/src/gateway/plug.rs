//! How the rest of the model reaches the Gateway API's code: through sockets
//! ([`crate::socket::Socket`]) held by the modules that call it (`build` for the data plane's
//! pods and Service, `send` for a public name's DNS claim and a request through a proxy) and
//! here for routing and statuses ([`installed`], which `layout` and the grader of the
//! `exercises` crate use), never by a direct call.
//!
//! With the `gateway-api` feature alone (the command line's build, the crates' tests) the code
//! is always there. With `gateway-later` as well (the browser's build) it is there once
//! [`install`] has run: the web app calls it from a function of its own wasm module, which it
//! fetches when a file first names `gateway.networking.k8s.io`. Until then the model is as
//! without the feature: no data plane, and the kinds are not read. Because only `install`
//! plugs the code in, wasm-split moves the routing, the statuses and the Gateway kinds'
//! reading (`manifest`'s sockets) into that module.

use crate::gateway::routing::{Decision, GatewayRequest};
use crate::gateway::{Lookup, Objects, Status};
use crate::socket::Socket;

/// Routing and statuses, as `layout` and the grader call them.
pub struct Plug {
    /// [`crate::gateway::route`].
    pub route: fn(&Objects, &dyn Lookup, &GatewayRequest) -> Decision,
    /// [`crate::gateway::status`].
    pub status: fn(&Objects, &dyn Lookup) -> Status,
}

#[cfg(feature = "gateway-api")]
static PLUG: Plug = Plug { route: crate::gateway::route, status: crate::gateway::status };

static SOCKET: Socket<Plug> = Socket::new();

/// Routing and statuses, when this build has them and (with `gateway-later`) they are
/// installed.
pub fn installed() -> Option<&'static Plug> {
    crate::plugged!(SOCKET, &PLUG)
}

/// Plugs the Gateway API's code into every socket of the model (with `gateway-later`; it is
/// always there otherwise).
pub fn install() {
    #[cfg(feature = "gateway-api")]
    {
        SOCKET.plug(&PLUG);
        crate::build::DATA_PLANE.plug(&crate::build::DIRECT_DATA_PLANE);
        crate::send::GATEWAY.plug(&crate::send::DIRECT_GATEWAY);
    }
}
