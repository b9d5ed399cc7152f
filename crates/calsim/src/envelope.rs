//! Cal.com's response envelopes: `{"status":"success","data":…}` and
//! `{"status":"error","timestamp":…,"path":…,"error":{"code":…,"message":…}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{SecondsFormat, Utc};
use serde_json::{json, Value};

/// A success answer with `data`.
pub fn success(status: StatusCode, data: Value) -> Response {
    (status, Json(json!({"status": "success", "data": data}))).into_response()
}

/// An error answer as Cal.com's exception filter writes it.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// The exception class name.
    pub code: &'static str,
    /// Message.
    pub message: String,
    /// Request path.
    pub path: String,
}

impl ApiError {
    /// Builds an error for `path`.
    pub fn new(status: StatusCode, message: impl Into<String>, path: &str) -> Self {
        let code = match status {
            StatusCode::BAD_REQUEST => "BadRequestException",
            StatusCode::UNAUTHORIZED => "UnauthorizedException",
            StatusCode::FORBIDDEN => "ForbiddenException",
            StatusCode::NOT_FOUND => "NotFoundException",
            StatusCode::CONFLICT => "ConflictException",
            StatusCode::TOO_MANY_REQUESTS => "ThrottlerException",
            StatusCode::SERVICE_UNAVAILABLE => "ServiceUnavailableException",
            _ => "InternalServerErrorException",
        };
        Self { status, code, message: message.into(), path: path.to_string() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "status": "error",
            "timestamp": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            "path": self.path,
            "error": {"code": self.code, "message": self.message}
        });
        (self.status, Json(body)).into_response()
    }
}
