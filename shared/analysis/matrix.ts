/** The few dense-matrix operations meta-regression needs; models here have a handful of columns. */
export type Matrix = number[][];

function at(m: Matrix, i: number, j: number): number {
  return m[i]?.[j] ?? Number.NaN;
}

export function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

/** (X' W X) for a diagonal W given as its diagonal. */
export function crossprodWeighted(X: Matrix, w: readonly number[]): Matrix {
  const p = X[0]?.length ?? 0;
  const out = zeros(p, p);
  X.forEach((row, i) => {
    const wi = w[i] ?? Number.NaN;
    for (let a = 0; a < p; a++) {
      const outRow = out[a] as number[];
      for (let b = 0; b < p; b++) outRow[b] = (outRow[b] ?? 0) + (row[a] ?? 0) * wi * (row[b] ?? 0);
    }
  });
  return out;
}

/** X' W y for a diagonal W. */
export function crossprodWeightedVector(X: Matrix, w: readonly number[], y: readonly number[]): number[] {
  const p = X[0]?.length ?? 0;
  const out = new Array<number>(p).fill(0);
  X.forEach((row, i) => {
    const wy = (w[i] ?? Number.NaN) * (y[i] ?? Number.NaN);
    for (let a = 0; a < p; a++) out[a] = (out[a] ?? 0) + (row[a] ?? 0) * wy;
  });
  return out;
}

export function multiply(A: Matrix, B: Matrix): Matrix {
  const n = A.length;
  const m = B[0]?.length ?? 0;
  const inner = B.length;
  const out = zeros(n, m);
  for (let i = 0; i < n; i++) {
    const outRow = out[i] as number[];
    for (let k = 0; k < inner; k++) {
      const aik = at(A, i, k);
      if (aik === 0) continue;
      const bRow = B[k] as number[];
      for (let j = 0; j < m; j++) outRow[j] = (outRow[j] ?? 0) + aik * (bRow[j] ?? 0);
    }
  }
  return out;
}

export function multiplyVector(A: Matrix, x: readonly number[]): number[] {
  return A.map((row) => row.reduce((sum, value, j) => sum + value * (x[j] ?? Number.NaN), 0));
}

export function trace(A: Matrix): number {
  return A.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
}

/** Inverse of a symmetric positive-definite matrix by Cholesky; throws when it is singular. */
export function invertSymmetric(A: Matrix): Matrix {
  const n = A.length;
  const L = zeros(n, n);
  for (let j = 0; j < n; j++) {
    let diagonal = at(A, j, j);
    for (let k = 0; k < j; k++) diagonal -= at(L, j, k) ** 2;
    if (!(diagonal > 0)) throw new RangeError('model matrix is not of full rank');
    const ljj = Math.sqrt(diagonal);
    (L[j] as number[])[j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let sum = at(A, i, j);
      for (let k = 0; k < j; k++) sum -= at(L, i, k) * at(L, j, k);
      (L[i] as number[])[j] = sum / ljj;
    }
  }
  // Invert L (lower triangular), then A^-1 = L^-T L^-1.
  const Linv = zeros(n, n);
  for (let i = 0; i < n; i++) {
    (Linv[i] as number[])[i] = 1 / at(L, i, i);
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= at(L, i, k) * at(Linv, k, j);
      (Linv[i] as number[])[j] = sum / at(L, i, i);
    }
  }
  const inverse = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = Math.max(i, j); k < n; k++) sum += at(Linv, k, i) * at(Linv, k, j);
      (inverse[i] as number[])[j] = sum;
    }
  }
  return inverse;
}
