//! kubectl's tables and `describe svc`, as snapshots (`UPDATE_EXPECT=1` to bless).
#[path = "../../netsim/tests/common/mod.rs"]
mod common;

use common::*;
use expect_test::expect;
use netsim::*;

#[test]
fn kubectl_get_svc() {
    expect![[r#"
        NAME         TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)                      AGE   SELECTOR
        ext          ExternalName   <none>           example.com   <none>                       5m    <none>
        front        LoadBalancer   10.107.72.173    203.0.113.1   80:31567/TCP,443:30980/TCP   5m    app=web
        kubernetes   ClusterIP      10.96.0.1        <none>        443/TCP                      5m    <none>
        sticky       ClusterIP      10.110.195.227   <none>        80/TCP                       5m    app=web
        typo         ClusterIP      10.109.8.168     <none>        80/TCP                       5m    app=wbe
        web          ClusterIP      10.109.202.138   <none>        80/TCP                       5m    app=web
        web-np       NodePort       10.107.3.35      <none>        80:30080/TCP                 5m    app=web
    "#]]
    .assert_eq(&kubectl::get_services(&views(), Some("default")));
}

#[test]
fn kubectl_get_svc_all_namespaces() {
    let c = scenario()
        .topology(|t| t.load_balancer_pool = None)
        .svc("shop", "lb", "app=x", &["80"])
        .svc_type(ServiceType::LoadBalancer)
        .build();
    expect![[r#"
        NAMESPACE       NAME                       TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)                      AGE   SELECTOR
        default         kubernetes                 ClusterIP      10.96.0.1       <none>        443/TCP                      5m    <none>
        ingress-nginx   ingress-nginx-controller   LoadBalancer   10.111.190.54   <pending>     80:31660/TCP,443:30421/TCP   5m    app.kubernetes.io/component=controller,app.kubernetes.io/instance=ingress-nginx,app.kubernetes.io/name=ingress-nginx
        kube-system     kube-dns                   ClusterIP      10.96.0.10      <none>        53/UDP,53/TCP,9153/TCP       5m    k8s-app=kube-dns
        shop            lb                         LoadBalancer   10.100.189.71   <pending>     80:30005/TCP                 5m    app=x
    "#]].assert_eq(&kubectl::get_services(&c, None));
}

#[test]
fn kubectl_get_endpoints_and_slices() {
    let c = views();
    expect![[r#"
        NAME         ENDPOINTS                                                     AGE
        front        10.244.1.3:8080,10.244.2.2:8080,10.244.1.3:8443 + 1 more...   5m
        kubernetes   192.168.49.2:6443                                             5m
        sticky       10.244.1.3:8080,10.244.2.2:8080                               5m
        typo         <none>                                                        5m
        web          10.244.1.3:8080,10.244.2.2:8080                               5m
        web-np       10.244.1.3:8080,10.244.2.2:8080                               5m
    "#]]
    .assert_eq(&kubectl::get_endpoints(&c, Some("default")));
    expect![[r#"
        NAME               ADDRESSTYPE   PORTS       ENDPOINTS               AGE
        front-wqk4w        IPv4          8080,8443   10.244.1.3,10.244.2.2   5m
        kubernetes-svszc   IPv4          6443        192.168.49.2            5m
        sticky-fzj5s       IPv4          8080        10.244.1.3,10.244.2.2   5m
        typo-dfxs6         IPv4          <unset>     <none>                  5m
        web-d7wv6          IPv4          8080        10.244.1.3,10.244.2.2   5m
        web-np-qvhgz       IPv4          8080        10.244.1.3,10.244.2.2   5m
    "#]]
    .assert_eq(&kubectl::get_endpoint_slices(&c, Some("default")));
}

#[test]
fn kubectl_get_pods() {
    expect![[r#"
        NAMESPACE       NAME                                        READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES
        default         slow                                        0/1     Running   0          5m    10.244.0.3   node-1   <none>           <none>
        default         web-4b779ff549-dr6nd                        1/1     Running   0          5m    10.244.1.3   node-2   <none>           <none>
        default         web-4b779ff549-xh8rk                        1/1     Running   0          5m    10.244.2.2   node-3   <none>           <none>
        ingress-nginx   ingress-nginx-controller-6bf5bd9575-9w2d6   1/1     Running   0          5m    10.244.0.4   node-1   <none>           <none>
        kube-system     coredns-76b89674b7-rk7ck                    1/1     Running   0          5m    10.244.1.2   node-2   <none>           <none>
        kube-system     coredns-76b89674b7-th54w                    1/1     Running   0          5m    10.244.0.2   node-1   <none>           <none>
    "#]].assert_eq(&kubectl::get_pods(&views(), None));
}

#[test]
fn kubectl_describe_svc() {
    let c = views();
    expect![[r#"
        Name:                        front
        Namespace:                   default
        Labels:                      <none>
        Annotations:                 <none>
        Selector:                    app=web
        Type:                        LoadBalancer
        IP Family Policy:            SingleStack
        IP Families:                 IPv4
        IP:                          10.107.72.173
        IPs:                         10.107.72.173
        LoadBalancer Ingress:        203.0.113.1
        Port:                        http  80/TCP
        TargetPort:                  8080/TCP
        NodePort:                    http  31567/TCP
        Endpoints:                   10.244.1.3:8080,10.244.2.2:8080
        Port:                        https  443/TCP
        TargetPort:                  8443/TCP
        NodePort:                    https  30980/TCP
        Endpoints:                   10.244.1.3:8443,10.244.2.2:8443
        Session Affinity:            None
        External Traffic Policy:     Local
        Internal Traffic Policy:     Cluster
        LoadBalancer Source Ranges:  192.0.2.0/24
        Events:                      <none>
    "#]]
    .assert_eq(&kubectl::describe_service(&c, "default", "front").unwrap());
    expect![[r#"
        Name:                     web
        Namespace:                default
        Labels:                   <none>
        Annotations:              <none>
        Selector:                 app=web
        Type:                     ClusterIP
        IP Family Policy:         SingleStack
        IP Families:              IPv4
        IP:                       10.109.202.138
        IPs:                      10.109.202.138
        Port:                     http  80/TCP
        TargetPort:               8080/TCP
        Endpoints:                10.244.1.3:8080,10.244.2.2:8080
        Session Affinity:         None
        Internal Traffic Policy:  Cluster
        Events:                   <none>
    "#]]
    .assert_eq(&kubectl::describe_service(&c, "default", "web").unwrap());
    assert!(kubectl::describe_service(&c, "default", "nope").is_none());
}

// https://kubernetes.io/docs/reference/networking/virtual-ips/#proxy-mode-iptables
