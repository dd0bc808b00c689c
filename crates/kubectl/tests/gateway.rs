//! The Gateway API's kinds in the terminal: `kubectl get` with the CRDs' printer columns
//! (Gateway: NAME CLASS ADDRESS PROGRAMMED AGE, the address being the Gateway's
//! `status.addresses`) and `kubectl describe` as kubectl prints a custom resource, with the
//! status the controller writes (https://gateway-api.sigs.k8s.io/reference/spec/: the
//! GatewayStatus, ListenerStatus and RouteParentStatus fields).
#![cfg(feature = "gateway-api")]

use expect_test::expect;
use kubectl::Session;
use manifest::SourceFile;
use netsim::{Cluster, Topology};

const FILES: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: example}
spec: {controllerName: example.net/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shop-gw, namespace: shop}
spec:
  gatewayClassName: example
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: shop-gw}]
  hostnames: [shop.example]
  rules: [{backendRefs: [{name: web, port: 80}]}]
";

fn cluster() -> Cluster {
    let files = [SourceFile { name: "gateway.yaml".into(), text: FILES.into() }];
    let (loaded, cluster) = manifest::load_and_build(&files, &Topology::default());
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    cluster
}

fn run(c: &Cluster, line: &str) -> String {
    let a = kubectl::run(c, &mut Session::default(), line);
    assert!(a.ok, "{line}: {}", a.output);
    a.output
}

#[test]
fn a_gateway_is_listed_with_its_address() {
    let c = cluster();
    expect![[r#"
        NAME      CLASS     ADDRESS       PROGRAMMED   AGE
        shop-gw   example   203.0.113.2   True         5m
    "#]]
    .assert_eq(&run(&c, "kubectl get gateways -n shop"));
}

#[test]
fn a_route_is_described_with_the_status_its_parent_gateway_gives_it() {
    let c = cluster();
    expect![[r#"
        Name:         web
        Namespace:    shop
        Labels:       <none>
        Annotations:  <none>
        API Version:  gateway.networking.k8s.io/v1
        Kind:         HTTPRoute
        Spec:
          Hostnames:
            shop.example
          Parent Refs:
            Group:  gateway.networking.k8s.io
            Kind:   Gateway
            Name:   shop-gw
          Rules:
            Backend Refs:
              Group:   
              Kind:    Service
              Name:    web
              Port:    80
              Weight:  1
        Status:
          Parents:
            Conditions:
              Reason:  Accepted
              Status:  True
              Type:    Accepted
              Reason:  ResolvedRefs
              Status:  True
              Type:    ResolvedRefs
            Controller Name:  example.net/gateway-controller
            Parent Ref:
              Group:  gateway.networking.k8s.io
              Kind:   Gateway
              Name:   shop-gw
        Events:       <none>
    "#]]
    .assert_eq(&run(&c, "kubectl describe httproute web -n shop"));
    expect![[r#"
        Name:         shop-gw
        Namespace:    shop
        Labels:       <none>
        Annotations:  <none>
        API Version:  gateway.networking.k8s.io/v1
        Kind:         Gateway
        Spec:
          Gateway Class Name:  example
          Listeners:
            Allowed Routes:
              Namespaces:
                From:  Same
            Name:      http
            Port:      80
            Protocol:  HTTP
        Status:
          Addresses:
            Type:   IPAddress
            Value:  203.0.113.2
          Conditions:
            Reason:  Accepted
            Status:  True
            Type:    Accepted
            Reason:  Programmed
            Status:  True
            Type:    Programmed
          Listeners:
            Attached Routes:  1
            Conditions:
              Reason:  Accepted
              Status:  True
              Type:    Accepted
              Reason:  Programmed
              Status:  True
              Type:    Programmed
              Reason:  ResolvedRefs
              Status:  True
              Type:    ResolvedRefs
              Reason:  NoConflicts
              Status:  False
              Type:    Conflicted
            Name:             http
            Supported Kinds:
              Group:  gateway.networking.k8s.io
              Kind:   HTTPRoute
              Group:  gateway.networking.k8s.io
              Kind:   GRPCRoute
        Events:       <none>
    "#]]
    .assert_eq(&run(&c, "kubectl describe gateway shop-gw -n shop"));
    expect![[r#"
        Name:         example
        Labels:       <none>
        Annotations:  <none>
        API Version:  gateway.networking.k8s.io/v1
        Kind:         GatewayClass
        Spec:
          Controller Name:  example.net/gateway-controller
        Status:
          Conditions:
            Reason:  Accepted
            Status:  True
            Type:    Accepted
        Events:       <none>
    "#]]
    .assert_eq(&run(&c, "kubectl describe gatewayclass example"));
}
