//! Finding the service or staff member a caller means: by name or synonym, case- and
//! umlaut-insensitive (ä/ae, ß/ss), tolerating small typos.

use super::{Branch, Service, Staff};
use crate::speech::{fold, similar};

/// What a spoken service name refers to.
#[derive(Debug)]
pub enum ServiceMatch<'a> {
    /// Exactly one service.
    Found(&'a Service),
    /// Several services fit ("Haarschnitt"): ask which.
    Ambiguous(Vec<&'a Service>),
    /// Nothing fits.
    NotFound,
}

fn names(service: &Service) -> impl Iterator<Item = String> + '_ {
    std::iter::once(fold(&service.name)).chain(service.synonyms.iter().map(|s| fold(s)))
}

fn unique<'a>(mut found: Vec<&'a Service>) -> Option<ServiceMatch<'a>> {
    found.dedup_by_key(|s| s.id);
    match found.len() {
        0 => None,
        1 => Some(ServiceMatch::Found(found[0])),
        _ => Some(ServiceMatch::Ambiguous(found)),
    }
}

impl Branch {
    /// The service a caller's words name.
    pub fn match_service(&self, said: &str) -> ServiceMatch<'_> {
        let said = fold(said.trim());
        if said.is_empty() {
            return ServiceMatch::NotFound;
        }
        let exact: Vec<&Service> = self.services.iter().filter(|s| names(s).any(|n| n == said)).collect();
        if let Some(found) = unique(exact) {
            return found;
        }
        // "einen Herrenhaarschnitt bitte" contains a name; "haarschnitt" is part of several.
        let containing: Vec<&Service> = self
            .services
            .iter()
            .filter(|s| names(s).any(|n| said.contains(&n) || (said.len() >= 4 && n.contains(&said))))
            .collect();
        if let Some(found) = unique(containing) {
            return found;
        }
        let words: Vec<&str> = said.split_whitespace().collect();
        let close: Vec<&Service> = self
            .services
            .iter()
            .filter(|s| names(s).any(|n| similar(&n, &said) || words.iter().any(|w| similar(&n, w))))
            .collect();
        unique(close).unwrap_or(ServiceMatch::NotFound)
    }

    /// The staff member a caller names ("bei Maria", "maria", "Mariaa").
    pub fn match_staff(&self, said: &str) -> Option<&Staff> {
        let said = fold(said.trim());
        let words: Vec<&str> = said.split_whitespace().collect();
        self.staff
            .iter()
            .find(|s| {
                let name = fold(&s.name);
                name == said || words.contains(&name.as_str()) || said.contains(&name)
            })
            .or_else(|| {
                let close: Vec<&Staff> = self
                    .staff
                    .iter()
                    .filter(|s| {
                        let name = fold(&s.name);
                        similar(&name, &said) || words.iter().any(|w| similar(&name, w))
                    })
                    .collect();
                (close.len() == 1).then(|| close[0])
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{OpeningHours, ServiceId, StaffId};

    fn service(id: i64, name: &str, synonyms: &[&str]) -> Service {
        Service { synonyms: synonyms.iter().map(|s| s.to_string()).collect(), ..Service::plain(ServiceId(id), name, 30) }
    }

    fn branch() -> Branch {
        Branch {
            id: crate::domain::BranchId(1),
            name: "Innenstadt".into(),
            phone_numbers: vec![],
            opening_hours: OpeningHours::default(),
            services: vec![
                service(1, "Herrenhaarschnitt", &["Männerhaarschnitt", "men's haircut"]),
                service(2, "Damenhaarschnitt", &["Frauenhaarschnitt"]),
                service(3, "Färben", &["Coloration", "Tönung"]),
            ],
            staff: vec![Staff::plain(StaffId(1), "Maria", vec![ServiceId(1)])],
            closures: vec![],
            retell_agent_ids: vec![],
            resources: vec![],
        }
    }

    #[test]
    fn finds_services_the_way_callers_say_them() {
        let branch = branch();
        for (said, id) in [
            ("Herrenhaarschnitt", 1),
            ("herrenhaarschnitt", 1),
            ("Maennerhaarschnitt", 1),
            ("einen Männerhaarschnitt bitte", 1),
            ("Herenhaarschnitt", 1),
            ("MEN'S HAIRCUT", 1),
            ("Faerben", 3),
            ("farben", 3),
            ("Haare Tönung", 3),
            ("Frauenhaarschnit", 2),
        ] {
            match branch.match_service(said) {
                ServiceMatch::Found(s) => assert_eq!(s.id.0, id, "{said}"),
                other => panic!("{said}: {other:?}"),
            }
        }
    }

    #[test]
    fn asks_when_ambiguous_and_refuses_unknown() {
        let branch = branch();
        assert!(matches!(branch.match_service("Haarschnitt"), ServiceMatch::Ambiguous(v) if v.len() == 2));
        assert!(matches!(branch.match_service("Massage"), ServiceMatch::NotFound));
        assert!(matches!(branch.match_service(""), ServiceMatch::NotFound));
        assert_eq!(branch.match_staff("bei Maria").unwrap().name, "Maria");
        assert_eq!(branch.match_staff("Mariaa").unwrap().name, "Maria");
        assert!(branch.match_staff("Peter").is_none());
    }
}
