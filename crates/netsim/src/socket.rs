//! [`Socket`]: where code that a build may load later plugs in (in the browser: the Gateway
//! API's, `gateway::plug`, the cluster-wide policy tiers, `policy::CLUSTER_TIERS`, and the
//! ingress controller's routing, `ingress::ROUTING`). A module that calls such code holds the socket; the module that
//! installs it names the code, so no circle runs through the socket.

/// Where some code plugs in. Without the `gateway-later` feature it answers with the code its
/// caller names; with it, with what [`Socket::plug`] was given, and the caller's own is never
/// named from there (so a wasm split leaves that code to the module that plugs it in).
pub struct Socket<T: ?Sized + 'static> {
    #[cfg(feature = "gateway-later")]
    cell: std::sync::OnceLock<&'static T>,
    _plug: std::marker::PhantomData<fn() -> &'static T>,
}

impl<T: ?Sized + Sync + 'static> Socket<T> {
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Socket<T> {
        Socket {
            #[cfg(feature = "gateway-later")]
            cell: std::sync::OnceLock::new(),
            _plug: std::marker::PhantomData,
        }
    }

    /// The code plugged in; `direct` names it where it is always there.
    pub fn get(&self, direct: impl FnOnce() -> Option<&'static T>) -> Option<&'static T> {
        #[cfg(feature = "gateway-later")]
        {
            let _ = direct;
            self.cell.get().copied()
        }
        #[cfg(not(feature = "gateway-later"))]
        direct()
    }

    /// Plugs `plug` in (with `gateway-later`; it is always there otherwise).
    pub fn plug(&self, plug: &'static T) {
        #[cfg(feature = "gateway-later")]
        let _ = self.cell.set(plug);
        #[cfg(not(feature = "gateway-later"))]
        let _ = plug;
    }
}

/// `socket.get(...)` answered with `direct` (a `&'static` to the code) where the calling
/// crate has its `gateway-api` feature, and with nothing where it has not: the one way every
/// socket of the Gateway API's code is read (`direct` is named only under that feature).
#[macro_export]
macro_rules! plugged {
    ($socket:expr, $direct:expr) => {
        $socket.get(|| {
            #[cfg(feature = "gateway-api")]
            return Some($direct);
            #[cfg(not(feature = "gateway-api"))]
            return None;
        })
    };
}
