use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Requests frontdesk refuses before any function runs. Always JSON, never HTML.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Missing, malformed, stale or wrong signature.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Not a Retell payload.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Body over the limit.
    #[error("request body too large")]
    TooLarge,
    /// No such function.
    #[error("unknown function {name:?}")]
    UnknownFunction {
        /// What was asked for.
        name: String,
        /// What exists.
        known: Vec<&'static str>,
    },
    /// No route.
    #[error("not found")]
    NotFound,
    /// Wrong method on a route.
    #[error("method not allowed")]
    MethodNotAllowed,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let (status, body) = match self {
            Self::Unauthorized(_) => {
                (StatusCode::UNAUTHORIZED, json!({"success": false, "error": "unauthorized", "message": message}))
            }
            Self::BadRequest(_) => {
                (StatusCode::BAD_REQUEST, json!({"success": false, "error": "bad_request", "message": message}))
            }
            Self::TooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, json!({"success": false, "error": "too_large", "message": message}))
            }
            Self::UnknownFunction { name, known } => (
                StatusCode::NOT_FOUND,
                json!({"success": false, "error": "unknown_function", "message": format!("unknown function {name:?}"), "known_functions": known}),
            ),
            Self::NotFound => {
                (StatusCode::NOT_FOUND, json!({"success": false, "error": "not_found", "message": message}))
            }
            Self::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                json!({"success": false, "error": "method_not_allowed", "message": message}),
            ),
        };
        (status, Json(body)).into_response()
    }
}
