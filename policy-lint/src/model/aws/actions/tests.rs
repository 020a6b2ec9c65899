use super::*;

#[test]
fn glob_semantics() {
    assert!(action_matches("*", "s3:GetObject"));
    assert!(action_matches("s3:*", "s3:GetObject"));
    assert!(action_matches("s3:Get*", "S3:GETOBJECT"));
    assert!(action_matches("s3:*Object", "s3:GetObject"));
    assert!(action_matches("s3:*Obj*ct*", "s3:GetObject"));
    assert!(action_matches("s3:Get?bject", "s3:GetObject"));
    assert!(action_matches("s3:GetObject*", "s3:GetObject"));
    assert!(action_matches("iam:*AccessKey*", "iam:CreateAccessKey"));
    assert!(!action_matches("s3:Get?", "s3:GetObject"));
    assert!(!action_matches("s3:Get", "s3:GetObject"));
    assert!(!action_matches("s3:GetObject", "s3:GetObjectAcl"));
    assert!(!action_matches("s3:[G]etObject", "s3:GetObject"));
    assert!(!action_matches("?", ""));
    assert!(action_matches("", ""));
    assert!(action_matches("**", ""));
    assert!(action_matches("a*b*c", "aXXbYYc"));
    assert!(!action_matches("a*b*c", "aXXbYY"));
    // Non-ASCII: `?` is one character, not one byte.
    assert!(action_matches("s3:caf?", "s3:café"));
    assert!(action_matches("S3:CAFÉ", "s3:café"));
}

#[test]
fn format_errors() {
    assert_eq!(action_format_error("*"), None);
    assert_eq!(action_format_error("s3:GetObject"), None);
    assert_eq!(action_format_error("s3:Get*"), None);
    assert_eq!(action_format_error("s*:Get?bject"), None);
    assert_eq!(
        action_format_error("vpc-lattice:AssociateViaAWSService-EventsAndStates"),
        None
    );
    assert!(action_format_error("iam.CreateUser").is_some());
    assert!(action_format_error("ec2:* ").is_some());
    assert!(action_format_error(":Get").is_some());
    assert!(action_format_error("s3:").is_some());
    assert!(action_format_error("s3:Get:Object").is_some());
    assert!(action_format_error("s3:${aws:username}").is_some());
    assert!(action_format_error("A list of the permissions").is_some());
    assert!(action_format_error("").is_some());
}

#[test]
fn distance() {
    assert_eq!(glob_distance("kitten", "sitting"), 3);
    assert_eq!(glob_distance("getobjekt", "getobject"), 1);
    assert_eq!(glob_distance("get*", "getobject"), 0);
    assert_eq!(glob_distance("gett*", "getobject"), 1);
    assert_eq!(glob_distance("", "abc"), 3);
    assert_eq!(glob_distance("abc", ""), 3);
    assert_eq!(glob_distance("*", ""), 0);
    assert_eq!(bounded_glob_distance("kitten", "sitting", 2), None);
    assert_eq!(bounded_glob_distance("kitten", "sitting", 3), Some(3));
    assert_eq!(bounded_glob_distance("café", "cafe", 1), Some(1));
}

/// The whole dynamic-programming matrix, for comparison.
fn reference_distance(p: &[u8], t: &[u8]) -> usize {
    let mut d = vec![vec![0usize; t.len() + 1]; p.len() + 1];
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=p.len() {
        let c = p[i - 1];
        d[i][0] = if c == b'*' {
            d[i - 1][0]
        } else {
            d[i - 1][0] + 1
        };
        for j in 1..=t.len() {
            d[i][j] = if c == b'*' {
                (0..=j).map(|k| d[i - 1][k]).min().unwrap_or(usize::MAX)
            } else {
                let sub = d[i - 1][j - 1] + usize::from(c != b'?' && c != t[j - 1]);
                sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1)
            };
        }
    }
    d[p.len()][t.len()]
}

#[test]
fn bounded_distance_agrees_with_the_full_matrix() {
    // A fixed pseudo-random sweep over short and long (heap) names.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for _ in 0..3000 {
        let max_len = if next(10) == 0 { 130 } else { 9 };
        let mut word = || -> String {
            let len = next(max_len) as usize;
            (0..len)
                .map(|_| b"ab*?c"[next(5) as usize] as char)
                .collect()
        };
        let (p, t) = (word(), word());
        let t = t.replace(['*', '?'], "x");
        let want = reference_distance(p.as_bytes(), t.as_bytes());
        assert_eq!(glob_distance(&p, &t), want, "{p:?} {t:?}");
        for max in 0..4 {
            let got = bounded_glob_distance(&p, &t, max);
            assert_eq!(got, (want <= max).then_some(want), "{p:?} {t:?} {max}");
        }
    }
}

#[test]
fn embedded_index_matches_full_parse() {
    let text = include_str!("../../../../rules/aws-actions.json");
    let full = Catalogue::from_json(text);
    let lazy = Catalogue::get();
    assert_eq!(full.prefixes().count(), lazy.prefixes().count());
    assert!(lazy.prefixes().count() > 400);
    assert_eq!(full.snapshot_date, lazy.snapshot_date);
    for s in full.services() {
        let l = lazy.service(&s.prefix).expect("same prefixes");
        assert_eq!(s.actions, l.actions, "{}", s.prefix);
    }
}

#[test]
fn catalogue_lookups() {
    let c = Catalogue::get();
    let s3 = c.service("S3").expect("s3 is known");
    assert_eq!(s3.action("getobject"), Some("GetObject"));
    assert!(s3.matching("Get*").count() > 10);
    assert_eq!(s3.matching("Gett*").count(), 0);
    for pattern in [
        "Get*",
        "gEt*",
        "Gett*",
        "*Object",
        "Get?bject",
        "getobject",
        "Put*Acl",
        "?et*",
        "G*",
        "",
        "*",
    ] {
        assert_eq!(
            s3.any_matching(pattern),
            s3.matching(pattern).next().is_some(),
            "{pattern}"
        );
    }
    assert_eq!(
        s3.nearest_action("GetObjekt", 2).map(|a| a.0),
        Some("GetObject")
    );
    assert_eq!(s3.nearest_action("LaunchRocket", 3), None);
    assert_eq!(c.nearest_service("s4", 1).map(|a| a.1), Some(1));
    assert_eq!(
        c.nearest_service("dynamodbb", 2).map(|a| a.0),
        Some("dynamodb")
    );
    assert_eq!(c.nearest_service("zzzzzzzz", 2), None);
}
