//! Integer constant expressions (`#define`, enumerator values, array
//! lengths, bit widths), evaluated with C's rules on 64-bit values.

use crate::error::{ModelError, ModelErrorKind};
use cdef_parse::{BinaryOp, Expr, Span, UnaryOp};

/// Evaluates `expr`; `lookup` gives the value of an earlier constant.
///
/// Arithmetic is done in 128 bits and the result must fit in 64 bits
/// (signed or unsigned); division truncates toward zero as in C; division
/// by zero, oversized shifts and unknown names are errors.
pub fn eval(
    expr: &Expr,
    lookup: &dyn Fn(&str) -> Option<i128>,
    span: Span,
) -> Result<i128, ModelError> {
    let err = |msg: String| ModelError {
        kind: ModelErrorKind::Invalid(msg),
        span: Some(span),
    };
    let v = match expr {
        Expr::Int(n) => i128::from(*n),
        Expr::Name(name, at) => lookup(name).ok_or_else(|| ModelError {
            kind: ModelErrorKind::Invalid(format!(
                "unknown constant '{name}' in a constant expression"
            )),
            span: Some(*at),
        })?,
        Expr::Unary(op, e) => {
            let v = eval(e, lookup, span)?;
            match op {
                UnaryOp::Neg => -v,
                UnaryOp::Plus => v,
                UnaryOp::Not => i128::from(v == 0),
                UnaryOp::BitNot => !v,
            }
        }
        Expr::Binary(op, a, b) => {
            let a = eval(a, lookup, span)?;
            let b = eval(b, lookup, span)?;
            match op {
                BinaryOp::Add => a + b,
                BinaryOp::Sub => a - b,
                BinaryOp::Mul => a
                    .checked_mul(b)
                    .ok_or_else(|| err("integer overflow in a constant expression".into()))?,
                BinaryOp::Div | BinaryOp::Rem if b == 0 => {
                    return Err(err("division by zero in a constant expression".into()))
                }
                // i128 division truncates toward zero, as C does.
                BinaryOp::Div => a / b,
                BinaryOp::Rem => a % b,
                BinaryOp::Shl | BinaryOp::Shr if !(0..64).contains(&b) => {
                    return Err(err(format!("shift by {b} in a constant expression")))
                }
                BinaryOp::Shl => a
                    .checked_shl(b as u32)
                    .ok_or_else(|| err("shift overflow".into()))?,
                BinaryOp::Shr => a >> b,
                BinaryOp::Lt => i128::from(a < b),
                BinaryOp::Gt => i128::from(a > b),
                BinaryOp::Le => i128::from(a <= b),
                BinaryOp::Ge => i128::from(a >= b),
                BinaryOp::Eq => i128::from(a == b),
                BinaryOp::Ne => i128::from(a != b),
                BinaryOp::BitAnd => a & b,
                BinaryOp::BitXor => a ^ b,
                BinaryOp::BitOr => a | b,
                BinaryOp::And => i128::from(a != 0 && b != 0),
                BinaryOp::Or => i128::from(a != 0 || b != 0),
            }
        }
        // Casts to integer types keep the value; narrowing casts are the
        // model's to apply once it knows the target type's width.
        Expr::Cast(_, e) => eval(e, lookup, span)?,
    };
    if v < i128::from(i64::MIN) || v > i128::from(u64::MAX) {
        return Err(err(format!(
            "constant expression value {v} does not fit in 64 bits"
        )));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdef_parse::{parse_cdef, DeclKind, MacroValue, Predeclared};

    fn value(src: &str) -> Result<i128, ModelError> {
        let cdef = parse_cdef(&format!("#define X {src}\n"), &Predeclared).unwrap();
        let DeclKind::Macro(MacroValue::Expr(e)) = &cdef.decls[0].kind else {
            panic!()
        };
        eval(e, &|n| (n == "TEN").then_some(10), Span::default())
    }

    #[test]
    fn c_arithmetic() {
        assert_eq!(value("(-1)").unwrap(), -1);
        assert_eq!(value("1 << 4 | 1").unwrap(), 17);
        assert_eq!(value("-7 / 2").unwrap(), -3);
        assert_eq!(value("-7 % 2").unwrap(), -1);
        assert_eq!(value("TEN * 2 + 1").unwrap(), 21);
        assert_eq!(value("~0").unwrap(), -1);
        assert_eq!(value("(int)5").unwrap(), 5);
        assert_eq!(value("'A'").unwrap(), 65);
        assert_eq!(value("0xFFFFFFFFFFFFFFFF").unwrap(), i128::from(u64::MAX));
        assert_eq!(value("1 < 2 && 3 > 2").unwrap(), 1);
    }

    #[test]
    fn errors() {
        assert!(value("1 / 0").is_err());
        assert!(value("1 << 64").is_err());
        assert!(value("NOPE + 1").is_err());
        assert!(value("0xFFFFFFFFFFFFFFFF * 2").is_err());
    }
}
